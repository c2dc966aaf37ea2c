import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database, DbOrTx } from './db/client.js';
import type { Jobs } from './jobs/boss.js';
import type { SessionStore } from './auth/sessions.js';
import type { PhoneVault } from './lib/phone.js';
import type { SharedLimiter } from './limits/counters.js';
import type { LoginGuard } from './auth/lockout.js';
import type { Classifier } from '../nlp/classifier/classify.js';
import type { WorkingCalendar } from './cases/calendar.js';
import type { CategoryIndex } from './cases/categoryIndex.js';
import type { AreaLocator } from './areas/locator.js';
import type { Rule } from './cases/routing.js';
import type { FileStore } from './files/store.js';
import type { FileLinks } from './files/links.js';
import type { Pbx } from '../telephony/index.js';
import type { WechatGateway } from './wechatApi/types.js';
import type { ScreenPopHub } from './telephony/screenPops.js';
import type { SurveyCaller } from './surveys/caller.js';
import type { ChatSender } from './notifications/chatSender.js';
import type { Leadership } from './cluster/lease.js';
import type { Geocoder } from './geo/geocoders.js';
import type { SmsGateway } from './sms/types.js';

/** Everything a request handler or job may use, built once per process (or per test). */
export interface Services {
  config: Config;
  log: Logger;
  database: Database;
  jobs: Jobs | null;
  sessions: SessionStore;
  phones: PhoneVault;
  classifier: Classifier;
  calendar: WorkingCalendar;
  files: FileStore;
  /** Signed, expiring links to stored photos. */
  fileLinks: FileLinks;
  /** The city's category table, cached; `invalidate('categories')` after an edit. */
  categories(): Promise<CategoryIndex>;
  /** Areas with their spatial index, cached; `invalidate('areas')` after an edit. */
  areas(): Promise<AreaLocator>;
  /**
   * Active routing rules, cached; every instance drops its copy when the table changes (db/referenceCache.ts).
   * `db`: the caller's transaction, read through when the copy must be loaded.
   */
  rules(db?: DbOrTx): Promise<Rule[]>;
  /** Departments' names by id, for presenters; cached and dropped like `rules`. */
  departmentNames(): Promise<Map<number, { id: number; name: string }>>;
  invalidate(what: 'categories' | 'areas' | 'rules' | 'departments'): void;
  /** Kept in the database, so every instance counts the same hits (server/limits/counters.ts). */
  limits: {
    login: LoginGuard;
    classify: SharedLimiter;
    citizenLogin: SharedLimiter;
    publicRead: SharedLimiter;
    uploads: SharedLimiter;
    uploadsByAddress: SharedLimiter;
  };
  /** An external geocoder (GEOCODER), asked when the gazetteer has no good match; null when off. */
  geocoder: Geocoder | null;
  /** WeChat's server API; null when WECHAT_APPID/WECHAT_SECRET are not set (notifications are then 'skipped'). */
  wechat: WechatGateway | null;
  /** The PBX (not yet connected; whoever uses it first starts it, the runtime stops it); null when PBX=none. */
  pbx: Pbx | null;
  /** Survey calls through `pbx`; null when PBX=none (phone surveys fall back to the next channel). */
  surveyCaller: SurveyCaller | null;
  /** The SMS provider (SMS_PROVIDER); null when SMS is off (SMS notices are then not sent). */
  sms: SmsGateway | null;
  /** Set by the chat bot while it can send (registerChatSender); null: chat is not a channel now. */
  chatSender: ChatSender | null;
  /** Agents' screen-pops, carried to every instance's open streams. */
  screenPops: ScreenPopHub;
  /** Whether this instance runs the singletons (PBX connection, chat bot); started by startWorkers. */
  leadership: Leadership;
}
