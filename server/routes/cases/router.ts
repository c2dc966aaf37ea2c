import { Readable } from 'node:stream';
import Router from '@koa/router';
import type { z } from 'zod';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize, caseListScope, mayReadCase, offeredActions, type Actor } from '../../auth/policy.js';
import { invalidRequest, notFound } from '../../errors.js';
import type { ReportChannel } from '../../db/schema.js';
import { transitionCase } from '../../cases/transitions.js';
import { actions, caseActions, type CaseAction } from '../../cases/lifecycle.js';
import {
  caseEventsNewestFirst,
  casePage,
  decodeCursor,
  eachCaseFor,
  findCase,
  listCasesFor,
  searchKind,
  type CaseFilter,
} from '../../cases/queries.js';
import { reclassify } from '../../cases/reclassify.js';
import { splitOff } from '../../cases/split.js';
import { citizenTextFor, lookups, presentCaseSummary } from '../../presenters/case.js';
import { presentUpload } from '../../presenters/upload.js';
import { CSV_BOM, beijingTime, csvLine } from '../../lib/csv.js';
import { channelLabel } from '../../cases/intake.js';
import { idParams, listQuery, reclassifyBody, splitBody, transitionBody } from './schema.js';

type ListQuery = z.infer<typeof listQuery>;

const DAY_MS = 86_400_000;
/** Start of a local (Asia/Shanghai) date. */
const startOfDay = (day: string) => new Date(`${day}T00:00:00+08:00`);

/**
 * The list's query as a filter: the area's level and the category's rank are looked up here so
 * the query can use the one matching column, and a phone number is turned into its keyed hash.
 */
async function filterFor(services: Services, actor: Actor, q: ListQuery): Promise<CaseFilter> {
  const { from, to, cursor: _cursor, page: _page, pageSize: _pageSize, ...rest } = q;
  const f: CaseFilter = { ...rest, state: q.state };
  if (q.areaId != null) {
    const area = (await services.areas()).get(q.areaId);
    // An unknown area matches nothing, as before.
    f.areaLevel = area?.level ?? 'grid';
  }
  if (q.categoryCode) {
    const found = (await services.categories()).resolve(q.categoryCode);
    if (found) f.categoryIsMajor = !found.minor;
  }
  if (q.q && searchKind(q.q) === 'phone') f.phoneHash = services.phones.hash(q.q);
  if (from) f.createdFrom = startOfDay(from);
  if (to) f.createdBefore = new Date(startOfDay(to).getTime() + DAY_MS);
  // Department staff only ever see their own department's cases.
  const scope = caseListScope(actor);
  if (scope != null) f.departmentId = scope;
  return f;
}

const csvHeader = [
  '案件编号',
  '状态',
  '渠道',
  '大类',
  '小类',
  '标题',
  '地址',
  '街道',
  '社区',
  '网格',
  '处置部门',
  '优先级',
  '处置时限',
  '时限状态',
  '重复数',
  '返工数',
  '催办数',
  '受理时间',
  '结案时间',
];

/** The export row by row: one batch of cases in memory at a time, whatever the number matched. */
async function* casesCsv(services: Services, f: CaseFilter, shown: (text: string) => string) {
  const l = await lookups(services);
  yield CSV_BOM + csvLine(csvHeader);
  for await (const batch of eachCaseFor(services, f)) {
    let chunk = '';
    for (const kase of batch) {
      const c = presentCaseSummary(kase, l, shown);
      chunk += csvLine([
        c.caseNo,
        c.state,
        channelLabel[c.channel as ReportChannel] ?? c.channel,
        c.major?.name,
        c.category?.name,
        c.title,
        c.address,
        c.area.streetName,
        c.area.communityName,
        c.area.gridName,
        c.department?.name,
        c.priority,
        beijingTime(c.deadlineAt),
        c.deadlineStatus,
        c.duplicateCount,
        c.reworkCount,
        c.urgeCount,
        beijingTime(c.createdAt),
        beijingTime(c.closedAt),
      ]);
    }
    if (chunk) yield chunk;
  }
}

export const actionLabel = (a: string) =>
  (actions as Record<string, { label: string }>)[a]?.label ?? eventLabels[a] ?? a;

const eventLabels: Record<string, string> = {
  received: '受理',
  duplicate_attached: '重复上报并案',
  reclassify: '改分类',
  split: '拆分',
  deadline_warning: '即将超期',
  overdue: '已超期',
  survey_scheduled: '安排回访',
  survey_answered: '回访结果',
  survey_exhausted: '转人工回访',
  callback_attempt: '人工回拨',
  callback_call: '系统回拨',
  callback_call_failed: '回拨未拨出',
  delivery_failed: '推送失败',
  merged_in: '并案',
};

export function caseRoutes(services: Services) {
  const router = new Router({ prefix: '/api' });
  router.use(requireStaff);

  async function visibleCase(actor: Actor, id: string) {
    const kase = await findCase(services, id);
    if (!kase || !mayReadCase(actor, kase)) throw notFound('案件');
    return kase;
  }

  router.get('/cases', validate({ query: listQuery }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    const q = ctx.input.query;
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (after === null) throw invalidRequest('cursor: 分页游标无效');
    const page = await listCasesFor(services, await filterFor(services, actor, q), {
      pageSize: q.pageSize,
      page: q.page,
      after,
    });
    const l = await lookups(services);
    ctx.body = {
      items: page.items.map((c) => presentCaseSummary(c, l, citizenTextFor(actor))),
      total: page.total,
      totalCapped: page.totalCapped,
      page: after ? null : q.page,
      pageSize: q.pageSize,
      nextCursor: page.nextCursor,
    };
  });

  router.get('/cases.csv', validate({ query: listQuery }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    const f = await filterFor(services, actor, ctx.input.query);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment('cases.csv');
    ctx.body = Readable.from(casesCsv(services, f, citizenTextFor(actor)));
  });

  router.get('/review-queue', async (ctx) => {
    authorize(actorOf(ctx), 'review.work');
    const { items } = await listCasesFor(services, { needsReview: true, state: ['受理', '立案'] }, { pageSize: 200 });
    const l = await lookups(services);
    ctx.body = { items: items.map((c) => presentCaseSummary(c, l)) };
  });

  router.get('/cases/:id', validate({ params: idParams }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    const kase = await visibleCase(actor, ctx.input.params.id);
    const l = await lookups(services);
    const {
      events,
      reports: caseReports,
      calls: caseCalls,
      staffName,
      files,
      reporter,
      messages,
    } = await casePage(services, kase);
    const fileById = new Map(files.map((f) => [f.id, presentUpload(services.fileLinks, f)]));
    const shown = citizenTextFor(actor);
    ctx.body = {
      case: {
        ...presentCaseSummary(kase, l, shown),
        description: shown(kase.description),
        photos: caseReports
          .flatMap((r) => r.photos)
          .map((id) => fileById.get(id))
          .filter(Boolean),
      },
      events: events.map((e) => ({
        id: e.id,
        action: e.action,
        actionLabel: actionLabel(e.action),
        fromState: e.fromState,
        toState: e.toState,
        actor: {
          type: e.actorType,
          name: e.actorType === 'staff' ? (staffName.get(e.actorId!) ?? '工作人员') : actorTypeLabel[e.actorType],
        },
        note: e.note,
        attachments: e.attachments.map((id) => fileById.get(id)).filter(Boolean),
        data: e.data,
        createdAt: e.createdAt.toISOString(),
      })),
      reports: caseReports.map((r) => ({
        id: r.id,
        channel: r.channel,
        text: shown(r.text),
        address: r.address,
        disposition: r.disposition,
        photos: r.photos.map((id) => fileById.get(id)).filter(Boolean),
        createdAt: r.createdAt.toISOString(),
      })),
      calls: caseCalls.map((c) => ({
        id: c.id,
        direction: c.direction,
        callerMasked: c.callerMasked,
        agent: c.agent,
        startedAt: c.startedAt.toISOString(),
        endedAt: c.endedAt?.toISOString() ?? null,
        hangupCause: c.hangupCause,
        recordingUrl: c.recordingPath ? `/api/calls/${encodeURIComponent(c.id)}/recording` : null,
      })),
      messages: messages.map((m) => ({
        id: m.id,
        direction: m.direction === 'in' ? '市民' : m.agentId ? '坐席' : '机器人',
        kind: m.kind,
        text: m.text == null ? m.text : shown(m.text),
        at: m.createdAt.toISOString(),
      })),
      reporter: reporter
        ? {
            id: reporter.id,
            phoneMasked: reporter.phoneMasked,
            name: reporter.name ?? kase.reporterName,
            wechat: !!reporter.openid || !!reporter.chatContactId,
          }
        : kase.reporterName
          ? { id: null, phoneMasked: null, name: kase.reporterName, wechat: false }
          : null,
      allowedActions: offeredActions(actor, kase),
      /** One name per step: the buttons say what the timeline will say. */
      actionLabels: Object.fromEntries([...caseActions, 'split'].map((a) => [a, actionLabel(a)])),
    };
  });

  router.post('/cases/:id/transitions', validate({ params: idParams, body: transitionBody }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.transition');
    const b = ctx.input.body;
    const kase = await visibleCase(actor, ctx.input.params.id);
    const updated = await transitionCase(services, kase, {
      action: b.action as CaseAction,
      actor: { kind: actor.role, id: actor.id, departmentId: actor.departmentId },
      note: b.note,
      attachments: b.attachments,
      expectedVersion: b.version,
      departmentId: b.departmentId,
      hours: b.hours,
      agency: b.agency,
      mergeInto: b.mergeInto,
    });
    ctx.body = { case: presentCaseSummary(updated, await lookups(services)) };
  });

  router.post('/cases/:id/reclassify', validate({ params: idParams, body: reclassifyBody }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'review.work');
    const kase = await visibleCase(actor, ctx.input.params.id);
    const b = ctx.input.body;
    const updated = await reclassify(services, kase, b.categoryCode, actor.id, b.version);
    ctx.body = { case: presentCaseSummary(updated, await lookups(services)) };
  });

  router.post('/cases/:id/split', validate({ params: idParams, body: splitBody }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.split');
    const kase = await visibleCase(actor, ctx.input.params.id);
    const created = await splitOff(services, kase, ctx.input.body.reportId, actor.id);
    ctx.status = 201;
    ctx.body = { case: presentCaseSummary(created, await lookups(services)) };
  });

  router.get('/cases/:id/events', validate({ params: idParams }), async (ctx) => {
    const actor = actorOf(ctx);
    const kase = await visibleCase(actor, ctx.input.params.id);
    ctx.body = {
      items: await caseEventsNewestFirst(services, kase.id),
    };
  });

  return router;
}

const actorTypeLabel: Record<string, string> = {
  system: '系统',
  citizen: '市民',
  department: '部门系统',
  staff: '工作人员',
};
