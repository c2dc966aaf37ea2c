import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { and, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { cases, caseEvents, reports } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { IDEMPOTENCY_KEY_MAX, isoDateTime, parseOrThrow } from '../../middleware/validate.js';
import { createHash, randomUUID } from 'node:crypto';
import { intakeReport } from '../../cases/intake.js';
import { finalStates, openStates } from '../../cases/lifecycle.js';
import type { CaseRow } from '../../cases/duplicates.js';
import { lookups, type Lookups } from '../../presenters/case.js';
import { publicNote, publicPlace } from '../../presenters/citizenCase.js';
import { maskPersonalData } from '../../lib/personalData.js';
import { formatOf, respond } from './format.js';

const PREFIX = '/open311/v2';

const postBody = z.object({
  api_key: z.string().min(1, 'api_key: required'),
  service_code: z.string().min(1),
  lat: z.coerce.number().min(-90).max(90).optional(),
  long: z.coerce.number().min(-180).max(180).optional(),
  address_string: z.string().max(200).optional(),
  address_id: z.string().max(64).optional(),
  description: z.string().trim().min(1).max(4000),
  email: z.string().email().optional(),
  device_id: z.string().max(128).optional(),
  account_id: z.string().max(128).optional(),
  first_name: z.string().max(50).optional(),
  last_name: z.string().max(50).optional(),
  phone: z.string().max(32).optional(),
  media_url: z.string().url().optional(),
});

const listQuery = z.object({
  service_request_id: z.string().optional(),
  service_code: z.string().optional(),
  start_date: isoDateTime.optional(),
  end_date: isoDateTime.optional(),
  status: z.enum(['open', 'closed']).optional(),
});

/** Errors in the GeoReport shape: an array of {code, description}, in the request's format. */
function open311Errors() {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (err: any) {
      const status =
        err instanceof AppError
          ? err.status
          : Number(err?.status) >= 400 && Number(err?.status) < 500
            ? Number(err.status)
            : 500;
      const description = status === 500 ? '服务器内部错误' : err.message;
      if (status === 500) ctx.log?.error({ err }, 'open311 error');
      ctx.status = status;
      const format = ctx.path.endsWith('.xml') ? 'xml' : 'json';
      respond(ctx, format, 'errors', 'error', [{ code: status, description }]);
    }
  };
}

export function open311Routes(services: Services) {
  const router = new Router({ prefix: PREFIX });
  const db = services.database.db;
  router.use(open311Errors());

  const base = (ctx: Context) => services.config.PUBLIC_BASE_URL ?? ctx.origin;

  /** A caller with a valid api_key is a partner system and reads a request whole. */
  const isPartner = (ctx: Context) =>
    typeof ctx.query.api_key === 'string' && services.config.openApiKeys.includes(ctx.query.api_key);

  /**
   * The public reads what the mini-program's public lookup shows: the citizen's words with phone,
   * ID and e-mail masked, the street and community instead of the address, the point to about
   * 100 m, and no photos. Partners (api_key) read the address, the exact point and the photo.
   */
  function presentRequest(c: CaseRow, l: Lookups, media: string | null, notes: string | null, partner: boolean) {
    const near = (x: number | null) => (x == null || partner ? x : Math.round(x * 1000) / 1000);
    return {
      service_request_id: c.caseNo,
      status: finalStates.includes(c.state as any) ? 'closed' : 'open',
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

  async function presentMany(ctx: Context, rows: CaseRow[]) {
    const l = await lookups(services);
    const ids = rows.map((r) => r.id);
    const [firstReports, lastEvents] = ids.length
      ? await Promise.all([
          db
            .select({ caseId: reports.caseId, photos: reports.photos, raw: reports.raw })
            .from(reports)
            .where(and(inArray(reports.caseId, ids), eq(reports.disposition, 'opened'))),
          db
            .select({
              caseId: caseEvents.caseId,
              action: caseEvents.action,
              note: caseEvents.note,
              data: caseEvents.data,
            })
            .from(caseEvents)
            .where(inArray(caseEvents.caseId, ids))
            .orderBy(desc(caseEvents.id)),
        ])
      : [[], []];
    // The latest step's note, when it was written for citizens; internal notes (a failed check,
    // a survey comment, a supervisor's reason) stay inside.
    const noteOf = new Map<string, string | null>();
    for (const e of lastEvents) {
      if (noteOf.has(e.caseId)) continue;
      const note = publicNote(e);
      noteOf.set(e.caseId, note ? maskPersonalData(note) : null);
    }
    const partner = isPartner(ctx);
    return rows.map((c) => {
      const r = firstReports.find((x) => x.caseId === c.id);
      const photo = r?.photos[0];
      const media = photo ? `${base(ctx)}${services.fileLinks.path(photo)}` : ((r?.raw as any)?.media_url ?? null);
      return presentRequest(c, l, media, noteOf.get(c.id) ?? null, partner);
    });
  }

  router.get('/discovery.:format', (ctx) => {
    const format = ctx.params.format === 'xml' ? 'xml' : 'json';
    const doc = {
      changeset: '2026-11-21T00:00:00Z',
      contact: '城管热线 12319',
      key_service: '联系管理员获取 api_key（设置 OPEN311_API_KEYS）',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${base(ctx)}${PREFIX}`,
          changeset: '2026-11-21T00:00:00Z',
          type: 'production',
          formats: ['application/json', 'text/xml'],
        },
      ],
    };
    if (format === 'json') ctx.body = doc;
    else respond(ctx, 'xml', 'discovery', 'endpoint', doc.endpoints);
  });

  router.get('/services.:format', async (ctx) => {
    const format = ctx.params.format === 'xml' ? 'xml' : 'json';
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
    if (!f) throw new AppError(404, 'not_found', '未知的格式，请使用 .json 或 .xml');
    const category = (await services.categories()).get(f.id);
    if (!category || category.level !== '小类') throw new AppError(404, 'not_found', `service_code ${f.id} 不存在`);
    const def = { service_code: category.code, attributes: [] as unknown[] };
    if (f.format === 'json') ctx.body = def;
    else {
      ctx.type = 'application/xml; charset=utf-8';
      ctx.body = `<?xml version="1.0" encoding="utf-8"?><service_definition><service_code>${category.code}</service_code><attributes></attributes></service_definition>`;
    }
  });

  router.post('/requests.:format', async (ctx) => {
    const format = ctx.params.format === 'xml' ? 'xml' : 'json';
    const raw = (ctx.request as any).body ?? {};
    if (typeof raw.api_key !== 'string' || !services.config.openApiKeys.includes(raw.api_key))
      throw new AppError(403, 'forbidden', 'api_key 无效');
    const b = parseOrThrow(postBody, raw);
    const category = (await services.categories()).get(b.service_code);
    if (!category || category.level !== '小类')
      throw new AppError(400, 'invalid_request', `service_code ${b.service_code} 不存在`);
    if ((b.lat == null) !== (b.long == null)) throw new AppError(400, 'invalid_request', 'lat 和 long 须同时提供');
    if (b.lat == null && !b.address_string && !b.address_id)
      throw new AppError(400, 'invalid_request', '须提供位置：lat/long、address_string 或 address_id');
    const given = ctx.get('idempotency-key') || (typeof raw.idempotency_key === 'string' ? raw.idempotency_key : '');
    if (given.length > IDEMPOTENCY_KEY_MAX)
      throw new AppError(400, 'invalid_request', `idempotency_key: 最多 ${IDEMPOTENCY_KEY_MAX} 个字符`);
    // Namespaced by channel and by the partner's key: two partners (or a partner and our staff)
    // sending the same key never meet. Without a key, every POST is a new request.
    const partner = createHash('sha256').update(raw.api_key).digest('hex').slice(0, 16);
    const idempotencyKey = `open311:${partner}:${given || randomUUID()}`;
    const result = await intakeReport(services, {
      channel: 'open311',
      idempotencyKey,
      text: b.description,
      categoryCode: b.service_code,
      citizen: b.phone
        ? { phone: b.phone, name: [b.last_name, b.first_name].filter(Boolean).join('') || undefined }
        : undefined,
      location: b.lat != null ? { lat: b.lat, lng: b.long! } : null,
      address: b.address_string ?? null,
      raw: { ...b, api_key: undefined, phone: undefined, email: undefined },
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
    const format = ctx.params.format === 'xml' ? 'xml' : 'json';
    const q = parseOrThrow(listQuery, ctx.query);
    const conds: SQL[] = [];
    if (q.service_request_id)
      conds.push(
        inArray(
          cases.caseNo,
          q.service_request_id.split(',').map((s) => s.trim()),
        ),
      );
    if (q.service_code)
      conds.push(
        inArray(
          cases.categoryCode,
          q.service_code.split(',').map((s) => s.trim()),
        ),
      );
    const end = q.end_date ? new Date(q.end_date) : new Date();
    const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - 90 * 86400_000);
    if (end.getTime() - start.getTime() > 90 * 86400_000 && !q.service_request_id)
      throw new AppError(400, 'invalid_request', 'start_date 与 end_date 相差不能超过 90 天');
    if (!q.service_request_id) conds.push(gte(cases.createdAt, start), lte(cases.createdAt, end));
    if (q.status === 'closed') conds.push(inArray(cases.state, [...finalStates]));
    if (q.status === 'open') conds.push(inArray(cases.state, [...openStates]));
    const rows = await db
      .select()
      .from(cases)
      .where(and(...conds))
      .orderBy(desc(cases.createdAt))
      .limit(1000);
    respond(ctx, format, 'service_requests', 'request', await presentMany(ctx, rows));
  });

  router.get('/requests/:id', async (ctx) => {
    const f = formatOf(ctx.params.id);
    if (!f) throw new AppError(404, 'not_found', '未知的格式，请使用 .json 或 .xml');
    const rows = await db.select().from(cases).where(eq(cases.caseNo, f.id));
    if (!rows.length) throw new AppError(404, 'not_found', `service_request_id ${f.id} 不存在`);
    respond(ctx, f.format, 'service_requests', 'request', await presentMany(ctx, rows));
  });

  router.get('/tokens/:token', async (ctx) => {
    const f = formatOf(ctx.params.token);
    if (!f) throw new AppError(404, 'not_found', '未知的格式，请使用 .json 或 .xml');
    const [r] = z.string().uuid().safeParse(f.id).success
      ? await db.select({ caseId: reports.caseId }).from(reports).where(eq(reports.id, f.id))
      : [];
    const [c] = r ? await db.select({ caseNo: cases.caseNo }).from(cases).where(eq(cases.id, r.caseId!)) : [];
    if (!c) throw new AppError(404, 'not_found', `token ${f.id} 不存在`);
    respond(ctx, f.format, 'service_requests', 'request', [{ service_request_id: c.caseNo, token: f.id }]);
  });

  return router;
}
