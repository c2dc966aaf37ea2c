import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Services } from './context.js';
import type { Database } from './db/client.js';
import type { Jobs } from './jobs/boss.js';
import type { Classifier } from '../nlp/classifier/classify.js';
import { SessionStore } from './auth/sessions.js';
import { PhoneVault } from './lib/phone.js';
import { SharedLimiter } from './limits/counters.js';
import { LoginGuard } from './auth/lockout.js';
import { defaultCalendar, type WorkingCalendar } from './cases/calendar.js';
import { CategoryIndex } from './cases/categoryIndex.js';
import { AreaLocator } from './areas/locator.js';
import { loadRules } from './cases/routing.js';
import { ReferenceCache } from './db/referenceCache.js';
import { departments } from './db/schema.js';
import { LocalFileStore } from './files/store.js';
import { FileLinks } from './files/links.js';
import { WechatApi } from './wechatApi/client.js';
import { geocoderFrom } from './geo/geocoders.js';
import { createPbx, pbxOptionsFrom, type CallRecordStore, type Pbx } from '../telephony/index.js';
import { DbCallRecordStore } from './telephony/callStore.js';
import { ScreenPopHub } from './telephony/screenPops.js';
import { pbxSurveyCaller } from './surveys/caller.js';
import { createLeadership } from './cluster/lease.js';
import { unlessFollower } from './cluster/singletons.js';
import { smsGatewayFrom } from './sms/gateway.js';

export function calendarFrom(config: Config): WorkingCalendar {
  const list = (s: string) =>
    s
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  return {
    ...defaultCalendar,
    holidays: [...defaultCalendar.holidays, ...list(config.CALENDAR_HOLIDAYS)],
    workdays: [...defaultCalendar.workdays, ...list(config.CALENDAR_WORKDAYS)],
  };
}

/** The PBX from the PBX_* settings, created but not connected; null when PBX=none. */
export function pbxFrom(config: Config, log: Logger, store?: CallRecordStore): Pbx | null {
  const options = pbxOptionsFrom(config);
  if (options.kind === 'none') return null;
  return createPbx({ ...options, logger: log.child({ component: 'pbx' }), store });
}

export function buildServices(
  config: Config,
  log: Logger,
  database: Database,
  jobs: Jobs | null,
  classifier: Classifier,
): Services {
  let categories: Promise<CategoryIndex> | null = null;
  let areas: Promise<AreaLocator> | null = null;
  const phones = new PhoneVault(config.PHONE_ENCRYPTION_KEY, config.PHONE_HASH_KEY);
  const pbx = pbxFrom(config, log, new DbCallRecordStore({ database, phones, config }));
  const leadership = createLeadership(database, log);
  const rules = new ReferenceCache(database, 'routing_rules', (db) => loadRules(db, config.CITY));
  const departmentNames = new ReferenceCache(database, 'departments', async (db) => {
    const rows = await db.select({ id: departments.id, name: departments.name }).from(departments);
    return new Map(rows.map((d) => [d.id, d]));
  });
  return {
    config,
    log,
    database,
    jobs,
    classifier,
    calendar: calendarFrom(config),
    files: new LocalFileStore(path.join(config.DATA_DIR, 'uploads')),
    fileLinks: new FileLinks(config.SESSION_SECRET, config.FILE_URL_TTL_MINUTES),
    geocoder: geocoderFrom(config, log),
    wechat: config.WECHAT_APPID
      ? new WechatApi({
          baseUrl: config.WECHAT_API_BASE,
          appid: config.WECHAT_APPID,
          secret: config.WECHAT_SECRET,
          timeoutMs: config.WECHAT_TIMEOUT_MS,
          logger: log,
        })
      : null,
    sessions: new SessionStore(database, config.SESSION_TTL_HOURS),
    phones,
    screenPops: new ScreenPopHub(database),
    categories: () =>
      (categories ??= CategoryIndex.load(database.db, config.CITY).catch(
        (e) => ((categories = null), Promise.reject(e)),
      )),
    areas: () => (areas ??= AreaLocator.load(database.db).catch((e) => ((areas = null), Promise.reject(e)))),
    rules: (db) => rules.get(db),
    departmentNames: () => departmentNames.get(),
    invalidate(what) {
      if (what === 'categories') categories = null;
      else if (what === 'rules') rules.invalidate();
      else if (what === 'departments') departmentNames.invalidate();
      else areas = null;
    },
    limits: {
      login: new LoginGuard(database.db, config.LOGIN_MAX_FAILURES, config.LOGIN_WINDOW_MINUTES),
      classify: new SharedLimiter(database.db, 'classify', config.CLASSIFY_RATE_PER_MINUTE, 60),
      citizenLogin: new SharedLimiter(database.db, 'citizen-login', 30, 60),
      publicRead: new SharedLimiter(database.db, 'public-read', config.PUBLIC_READ_RATE_PER_MINUTE, 60, {
        writeBehind: true,
        // PGlite is one process: nobody else reads the counts, and each upsert would cost the read's own thread.
        // On PostgreSQL other instances see this one's hits at most 0.1 s late (exact from half the limit on).
        flushDelayMs: database.kind === 'pglite' ? 1000 : 100,
      }),
      uploads: new SharedLimiter(database.db, 'upload', config.UPLOAD_RATE_PER_HOUR, 3600),
      uploadsByAddress: new SharedLimiter(database.db, 'upload-address', config.UPLOAD_RATE_PER_HOUR * 10, 3600),
    },
    pbx,
    surveyCaller: pbx
      ? unlessFollower(
          leadership,
          pbxSurveyCaller(pbx, {
            callerId: config.hotlineNumbers[0] ?? '12319',
            logger: log.child({ component: 'survey-call' }),
          }),
        )
      : null,
    chatSender: null,
    sms: smsGatewayFrom(config),
    leadership,
  };
}
