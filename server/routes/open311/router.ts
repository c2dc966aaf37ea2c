import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Services } from '../../context.js';
import {
  caseOfToken,
  requestExtras,
  requestUpdates,
  requestsByCaseNo,
  requestsPage,
  type RequestFilter,
} from '../../open311/queries.js';
import { createHash, randomUUID } from 'node:crypto';
import { AppError, forbidden, invalidRequest, notFound } from '../../errors.js';
import { IDEMPOTENCY_KEY_MAX, parseOrThrow } from '../../middleware/validate.js';
import { intakeReport } from '../../cases/intake.js';
import { finalStates, type CaseState } from '../../cases/lifecycle.js';
import type { CaseRow } from '../../db/rows.js';
import { lookups, type Lookups } from '../../presenters/case.js';
import { publicNote, publicPlace } from '../../presenters/citizenCase.js';
import { maskPersonalData } from '../../lib/personalData.js';
import { formatOf, Repeat, respond, respondObject, type Format } from './format.js';
import { OPEN311_PREFIX } from './errors.js';
import { listQuery, postBody, readQuery, updatesQuery } from './schema.js';

const DAY_MS = 86_400_000;
/** The spec's default and our ceiling: a span of 90 days. */
const WINDOW_MS = 90 * DAY_MS;
/** At most 1000 requests per answer, as the spec says; anonymous callers get pages of 200. */
const PARTNER_PAGE = 1000;
const PUBLIC_PAGE = 200;
/** Bumped when the services list or a service definition changes shape. */
const CHANGESET = '2026-12-03T00:00:00Z';
const FMS_UPDATES_SPEC = 'https://github.com/mysociety/fixmystreet/wiki/Open311-FMS---Proposed-differences-to-Open311';

/**
 * Our states as FixMyStreet's Open311 client reads a status (its extended set, lower case):
 * only 结案 is `fixed`; a rejected case is not ours to fix, a transferred one went elsewhere.
 */
const fmsStatus: Record<CaseState, string> = {
  受理: 'open',
  立案: 'investigating',
  派遣: 'action_scheduled',
  处置中: 'in_progress',
  已处置: 'in_progress',
  核查: 'in_progress',
  回访: 'in_progress',
  挂账: 'action_scheduled',
  结案: 'fixed',
  不予立案: 'not_councils_responsibility',
  转办: 'internal_referral',
  已并案: 'duplicate',
};

const formatParam = (ctx: Context): Format => {
  if (ctx.params.format !== 'json' && ctx.params.format !== 'xml') throw notFound('接口');
  return ctx.params.format;
};

/** The span a list covers: the caller's dates, else the 90 days before end_date (or now). */
function windowOf(q: { start_date?: string; end_date?: string }) {
  const start0 = q.start_date ? new Date(q.start_date) : null;
  const end = q.end_date
    ? new Date(q.end_date)
    : start0
      ? new Date(Math.min(Date.now(), start0.getTime() + WINDOW_MS))
      : new Date();
  const start = start0 ?? new Date(end.getTime() - WINDOW_MS);
  if (end < start) throw invalidRequest('end_date 不能早于 start_date');
  if (end.getTime() - start.getTime() > WINDOW_MS) throw invalidRequest('start_date 与 end_date 相差不能超过 90 天');
  return { start, end };
}

export function open311Routes(services: Services) {
  const router = new Router({ prefix: OPEN311_PREFIX });
  const base = services.config.publicBaseUrl;

  /** A caller with a valid api_key is a partner system and reads a request whole. */
  const isPartner = (key: unknown) => typeof key === 'string' && services.config.openApiKeys.includes(key);
  const pageOf = (q: { page: number; page_size?: number }, partner: boolean) => {
    const limit = Math.min(q.page_size ?? (partner ? PARTNER_PAGE : PUBLIC_PAGE), partner ? PARTNER_PAGE : PUBLIC_PAGE);
    return { limit, offset: (q.page - 1) * limit };
  };

  /**
   * The public reads what the mini-program's public lookup shows: the citizen's words with phone,
   * ID and e-mail masked, the street and community instead of the address, the point to about
   * 100 m, and no photos. Partners (api_key) read the address, the exact point and the photo.
   */
  function presentRequest(c: CaseRow, l: Lookups, media: string | null, notes: string | null, partner: boolean) {
    const near = (x: number | null) => (x == null || partner ? x : Math.round(x * 1000) / 1000);
    return {
      service_request_id: c.caseNo,
      status: finalStates.includes(c.state as CaseState) ? 'closed' : 'open',
      status_notes: notes ? `${c.state}：${notes}` : c.state,
      service_name: l.categories.name(c.categoryCode ?? c.majorCode) ?? null,
      service_code: c.categoryCode ?? c.majorCode ?? 'unclassified',
      description: maskPersonalData(c.description).slice(0, 4000),
      agency_responsible: c.departmentId ? (l.departments.get(c.departmentId)?.name ?? null) : c.transferAgency,
      service_notice: null,
      requested_datetime: c.createdAt.toISOString(),
      updated_datetime: c.updatedAt.toISOString(),
      expected_datetime: c.deadlineAt?.toISOString() ?? null,
      address: partner ? c.address : publicPlace(c, l),
      address_id: null,
      zipcode: null,
      lat: near(c.lat),
      long: near(c.lng),
      media_url: partner ? media : null,
    };
  }

  /** Only http(s) leaves as a media_url, whatever an older row holds. */
  const httpUrl = (u: unknown) => (typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null);

  async function presentMany(rows: CaseRow[], partner: boolean) {
    const l = await lookups(services);
    const ids = rows.map((r) => r.id);
    const { firstReports, lastEvents } = await requestExtras(services, ids);
    // The latest step's note, when it was written for citizens; internal notes (a failed check,
    // a survey comment, a supervisor's reason) stay inside.
    const noteOf = new Map<string, string | null>();
    for (const e of lastEvents) {
      const note = publicNote(e);
      noteOf.set(e.caseId, note ? maskPersonalData(note) : null);
    }
    const reportOf = new Map(firstReports.map((r) => [r.caseId, r]));
    return rows.map((c) => {
      const r = reportOf.get(c.id);
      const photo = r?.photos[0];
      const media = photo
        ? `${base}${services.fileLinks.path(photo)}`
        : httpUrl((r?.raw as { media_url?: unknown } | null | undefined)?.media_url);
      return presentRequest(c, l, media, noteOf.get(c.id) ?? null, partner);
    });
  }

  router.get('/discovery.:format', (ctx) => {
    const format = formatParam(ctx);
    const formats = new Repeat('format', ['text/xml', 'application/json']);
    const endpoint = (specification: string) => ({
      specification,
      url: `${base}${OPEN311_PREFIX}`,
      changeset: CHANGESET,
      type: 'production',
      formats,
    });
    respondObject(ctx, format, 'discovery', {
      changeset: CHANGESET,
      contact: '城管热线 12319（工作日 9:00–17:00）',
      key_service: '向城管热线管理员申请 api_key；提交诉求（POST requests）须携带 api_key',
      endpoints: new Repeat('endpoint', [
        endpoint('http://wiki.open311.org/GeoReport_v2'),
        // FixMyStreet's GET servicerequestupdates extension, served at the same base URL.
        endpoint(FMS_UPDATES_SPEC),
      ]),
    });
  });

  router.get('/services.:format', async (ctx) => {
    const format = formatParam(ctx);
    parseOrThrow(readQuery, ctx.query);
    const categories = await services.categories();
    const list = categories
      .all()
      .filter((c) => c.level === '小类')
      .map((c) => ({
        service_code: c.code,
        service_name: c.name,
        description: `${c.kind}｜${categories.name(c.parentCode) ?? ''}｜${c.name}`,
        metadata: false,
        type: 'realtime',
        keywords: c.synonyms.join(',') || null,
        group: categories.name(c.parentCode),
      }));
    respond(ctx, format, 'services', 'service', list);
  });

  router.get('/services/:code', async (ctx) => {
    const f = formatOf(ctx.params.code);
    if (!f) throw notFound('接口');
    parseOrThrow(readQuery, ctx.query);
    const category = (await services.categories()).get(f.id);
    if (!category || category.level !== '小类') throw new AppError(404, 'not_found', `service_code ${f.id} 不存在`);
    // No service has extra attributes (metadata=false), so the list is empty but present.
    respondObject(ctx, f.format, 'service_definition', {
      service_code: category.code,
      attributes: new Repeat('attribute', []),
    });
  });

  router.post('/requests.:format', async (ctx) => {
    const format = formatParam(ctx);
    const body = ctx.request.body;
    const raw: Record<string, unknown> = typeof body === 'object' && body !== null ? { ...body } : {};
    const apiKey = typeof raw.api_key === 'string' ? raw.api_key.trim() : undefined;
    if (!apiKey || !isPartner(apiKey)) throw forbidden('api_key 无效');
    const b = parseOrThrow(postBody, raw);
    const category = (await services.categories()).get(b.service_code);
    if (!category || category.level !== '小类') throw invalidRequest(`service_code ${b.service_code} 不存在`);
    if ((b.lat == null) !== (b.long == null)) throw invalidRequest('lat 和 long 须同时提供');
    if (b.lat == null && !b.address_string && !b.address_id)
      throw invalidRequest('须提供位置：lat/long、address_string 或 address_id');
    const given = ctx.get('idempotency-key') || (typeof raw.idempotency_key === 'string' ? raw.idempotency_key : '');
    if (given.length > IDEMPOTENCY_KEY_MAX) throw invalidRequest(`idempotency_key: 最多 ${IDEMPOTENCY_KEY_MAX} 个字符`);
    // Namespaced by channel and by the partner's key: two partners (or a partner and our staff)
    // sending the same key never meet. Without a key, every POST is a new request.
    const partner = createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
    const idempotencyKey = `open311:${partner}:${given || randomUUID()}`;
    const result = await intakeReport(services, {
      channel: 'open311',
      idempotencyKey,
      text: b.description ?? `${category.name}（未附描述）`,
      categoryCode: b.service_code,
      citizen: b.phone
        ? { phone: b.phone, name: [b.last_name, b.first_name].filter(Boolean).join('') || undefined }
        : undefined,
      location: b.lat != null ? { lat: b.lat, lng: b.long! } : null,
      address: b.address_string ?? null,
      raw: { ...b, phone: undefined, email: undefined },
    });
    ctx.status = result.created ? 201 : 200;
    respond(ctx, format, 'service_requests', 'request', [
      {
        service_request_id: result.case.caseNo,
        service_notice: result.duplicate ? '该问题已有人反映，已合并处理' : '已受理',
        account_id: b.account_id ?? null,
      },
    ]);
  });

  router.get('/requests.:format', async (ctx) => {
    const format = formatParam(ctx);
    const q = parseOrThrow(listQuery, ctx.query);
    const partner = isPartner(q.api_key);
    // The spec: when service_request_id is given, every other filter is ignored.
    const filter: RequestFilter = q.service_request_id
      ? { caseNos: q.service_request_id }
      : {
          ...windowOf(q),
          serviceCodes: q.service_code,
          status: q.status?.size === 1 ? (q.status.has('closed') ? 'closed' : 'open') : undefined,
        };
    const { limit, offset } = pageOf(q, partner);
    const rows = await requestsPage(services, filter, { limit, offset });
    respond(ctx, format, 'service_requests', 'request', await presentMany(rows, partner));
  });

  router.get('/requests/:id', async (ctx) => {
    const f = formatOf(ctx.params.id);
    if (!f) throw notFound('接口');
    const q = parseOrThrow(readQuery, ctx.query);
    const rows = await requestsByCaseNo(services, f.id);
    if (!rows.length) throw new AppError(404, 'not_found', `service_request_id ${f.id} 不存在`);
    respond(ctx, f.format, 'service_requests', 'request', await presentMany(rows, isPartner(q.api_key)));
  });

  router.get('/tokens/:token', async (ctx) => {
    const f = formatOf(ctx.params.token);
    if (!f) throw notFound('接口');
    const c = z.uuid().safeParse(f.id).success ? await caseOfToken(services, f.id) : undefined;
    if (!c) throw new AppError(404, 'not_found', `token ${f.id} 不存在`);
    respond(ctx, f.format, 'service_requests', 'request', [{ service_request_id: c.caseNo, token: f.id }]);
  });

  /**
   * FixMyStreet's extension: each change of a case's state in the window, oldest first, as an
   * update with the status after it. The text is the note written for citizens (masked), else
   * the state's name; partners also get the step's first photo.
   */
  router.get('/servicerequestupdates.:format', async (ctx) => {
    const format = formatParam(ctx);
    const q = parseOrThrow(updatesQuery, ctx.query);
    const partner = isPartner(q.api_key);
    const { start, end } = windowOf(q);
    const { limit, offset } = pageOf(q, partner);
    const rows = await requestUpdates(services, start, end, { limit, offset });
    respond(
      ctx,
      format,
      'service_request_updates',
      'request_update',
      rows.map((e) => {
        const note = publicNote(e);
        const photo = partner ? e.attachments[0] : undefined;
        return {
          update_id: String(e.id),
          service_request_id: e.caseNo,
          status: fmsStatus[e.toState as CaseState] ?? 'open',
          updated_datetime: e.createdAt.toISOString(),
          description: note ? maskPersonalData(note) : e.toState,
          media_url: photo ? `${base}/files/${photo}` : '',
        };
      }),
    );
  });

  return router;
}
