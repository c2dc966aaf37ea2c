import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { and, desc, eq, inArray, isNotNull, or } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Services } from '../../context.js';
import { caseEvents, cases, citizens, reports, surveys, uploads } from '../../db/schema.js';
import { AppError, notFound, tooManyRequests, unauthenticated } from '../../errors.js';
import { validate } from '../../middleware/validate.js';
import { CitizenTokens } from '../../citizens/tokens.js';
import { resolveCitizen } from '../../citizens/resolve.js';
import { checkCitizenText, startImageCheck } from '../../citizens/contentCheck.js';
import { intakeReport } from '../../cases/intake.js';
import { findPublicCase } from '../../cases/publicLookup.js';
import { readSingleFile } from '../../files/multipart.js';
import { checkUploadRate, presentUpload, storeImage } from '../../files/uploads.js';
import { WechatError } from '../../wechatApi/errors.js';
import { placeLookups } from '../../presenters/case.js';
import { citizenTimeline, publicCase, publicPlace } from '../../presenters/citizenCase.js';
import {
  caseNoParams,
  citizenReportBody,
  devLoginBody,
  loginBody,
  nearbyQuery,
  subscriptionsBody,
  surveyBody,
} from './schema.js';
import { answerSurvey } from '../../surveys/answer.js';
import { pendingSurveyFor } from '../../surveys/queries.js';
import { recordGrants, templateKindOf } from '../../notifications/grants.js';

declare module 'koa' {
  interface DefaultState {
    citizenId?: string;
  }
}

const closedStates = ['结案'];

export function citizenApiRoutes(services: Services) {
  const router = new Router({ prefix: '/api' });
  const db = services.database.db;
  const tokens = new CitizenTokens(services.config.SESSION_SECRET);

  async function requireCitizen(ctx: Context, next: Next) {
    const header = ctx.get('authorization');
    const id = header.startsWith('Bearer ') ? tokens.verify(header.slice(7).trim()) : null;
    if (!id) throw unauthenticated('请先登录小程序');
    ctx.state.citizenId = id;
    await next();
  }

  async function openidOf(citizenId: string) {
    const [c] = await db.select({ openid: citizens.openid }).from(citizens).where(eq(citizens.id, citizenId));
    return c?.openid ?? null;
  }

  async function ownCase(ctx: Context) {
    const citizenId = ctx.state.citizenId!;
    const [kase] = await db.select().from(cases).where(eq(cases.caseNo, ctx.input.params.caseNo));
    if (!kase) throw notFound('案件');
    const mine =
      kase.reporterId === citizenId ||
      (
        await db
          .select({ id: reports.id })
          .from(reports)
          .where(and(eq(reports.caseId, kase.id), eq(reports.citizenId, citizenId)))
          .limit(1)
      ).length > 0;
    if (!mine) throw notFound('案件');
    return kase;
  }

  router.post('/citizen/login', validate({ body: loginBody }), async (ctx) => {
    const wait = await services.limits.citizenLogin.take(ctx.ip);
    if (wait > 0) throw tooManyRequests('登录过于频繁，请稍后再试', wait);
    if (!services.wechat) throw new AppError(503, 'wechat_unavailable', '微信登录未配置');
    let session;
    try {
      session = await services.wechat.code2Session(ctx.input.body.code);
    } catch (err) {
      if (err instanceof WechatError) {
        if (err.code === 'invalid_code')
          throw new AppError(400, 'invalid_code', '登录凭证无效或已过期，请重新进入小程序');
        if (err.code === 'rate_limited') throw tooManyRequests('登录过于频繁，请稍后再试');
        throw new AppError(503, 'wechat_unavailable', '微信服务暂时不可用，请稍后再试');
      }
      throw err;
    }
    const citizen = await resolveCitizen(db, services.phones, { openid: session.openid, unionid: session.unionid });
    const { token, expiresAt } = tokens.issue(citizen!.id);
    ctx.body = { token, expiresAt: expiresAt.toISOString() };
  });

  router.post('/citizen/dev-login', validate({ body: devLoginBody }), async (ctx) => {
    if (!services.config.devLogin) throw notFound('接口');
    const openid = ctx.input.body.openid ?? `dev-${randomBytes(8).toString('hex')}`;
    const citizen = await resolveCitizen(db, services.phones, { openid });
    const { token, expiresAt } = tokens.issue(citizen!.id);
    ctx.body = { token, expiresAt: expiresAt.toISOString(), openid };
  });

  router.post('/citizen/uploads', requireCitizen, async (ctx) => {
    await checkUploadRate(services, `citizen:${ctx.state.citizenId}`, ctx.ip);
    const file = await readSingleFile(ctx);
    const row = await storeImage(services, { type: 'citizen', id: ctx.state.citizenId! }, file.data);
    // WeChat fetches the image and pushes its verdict later (POST /api/wechat/events).
    await startImageCheck(services, await openidOf(ctx.state.citizenId!), row.id);
    ctx.status = 201;
    ctx.body = presentUpload(services.fileLinks, row);
  });

  router.post('/citizen/reports', requireCitizen, validate({ body: citizenReportBody }), async (ctx) => {
    const b = ctx.input.body;
    const citizenId = ctx.state.citizenId!;
    if (b.photos?.length) {
      const own = await db
        .select({ id: uploads.id, status: uploads.checkStatus })
        .from(uploads)
        .where(and(inArray(uploads.id, b.photos), eq(uploads.ownerType, 'citizen'), eq(uploads.ownerId, citizenId)));
      if (own.length !== new Set(b.photos).size)
        throw new AppError(400, 'invalid_request', 'photos: 只能使用自己上传的照片');
      if (own.some((u) => u.status === 'refused'))
        throw new AppError(422, 'content_refused', '有照片未通过安全审核，请删除后再提交');
    }
    const openid = await openidOf(citizenId);
    await checkCitizenText(services, openid, b.text);
    const result = await intakeReport(services, {
      channel: 'miniprogram',
      idempotencyKey: `mp:${citizenId}:${b.idempotencyKey}`,
      text: b.text,
      citizen: openid ? { openid } : undefined,
      location: b.location,
      address: b.address,
      categoryCode: b.categoryCode,
      photos: b.photos,
    });
    ctx.status = result.created ? 201 : 200;
    ctx.body = {
      caseNo: result.case.caseNo,
      caseId: result.case.id,
      state: result.case.state,
      duplicate: result.duplicate,
    };
  });

  router.get('/citizen/reports', requireCitizen, async (ctx) => {
    const citizenId = ctx.state.citizenId!;
    const mine = await db
      .select({ caseId: reports.caseId, photos: reports.photos })
      .from(reports)
      .where(and(eq(reports.citizenId, citizenId), isNotNull(reports.caseId)));
    const ids = [...new Set(mine.map((r) => r.caseId!))];
    const rows = ids.length
      ? await db
          .select()
          .from(cases)
          .where(or(inArray(cases.id, ids), eq(cases.reporterId, citizenId)))
          .orderBy(desc(cases.createdAt))
      : [];
    const waiting = ids.length ? await pendingSurveyFor(services, citizenId) : [];
    const l = await placeLookups(services);
    ctx.body = {
      items: rows.map((c) => {
        const photo = mine.find((r) => r.caseId === c.id)?.photos[0];
        return {
          caseNo: c.caseNo,
          title: c.title,
          state: c.state,
          category: c.categoryCode ? { code: c.categoryCode, name: l.categories.name(c.categoryCode) } : null,
          address: c.address,
          createdAt: c.createdAt.toISOString(),
          thumbUrl: photo ? services.fileLinks.path(photo, true) : null,
          surveyPending: waiting.some((w) => w.caseNo === c.caseNo),
        };
      }),
    };
  });

  router.get('/citizen/reports/:caseNo', requireCitizen, validate({ params: caseNoParams }), async (ctx) => {
    const kase = await ownCase(ctx);
    const citizenId = ctx.state.citizenId!;
    const [events, caseReports, survey, pending] = await Promise.all([
      db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.id)).orderBy(caseEvents.id),
      db.select().from(reports).where(eq(reports.caseId, kase.id)),
      db
        .select()
        .from(surveys)
        .where(and(eq(surveys.caseId, kase.id), eq(surveys.citizenId, citizenId)))
        .orderBy(desc(surveys.round))
        .limit(1),
      pendingSurveyFor(services, citizenId),
    ]);
    const l = await placeLookups(services);
    const before = caseReports.filter((r) => r.citizenId === citizenId).flatMap((r) => r.photos);
    const resolution = [...events].reverse().find((e) => e.action === 'resolve');
    const hidden = new Set(
      (
        await db
          .select({ id: uploads.id })
          .from(uploads)
          .where(
            and(
              inArray(uploads.id, [
                ...before,
                ...(resolution?.attachments ?? []),
                '00000000-0000-0000-0000-000000000000',
              ]),
              eq(uploads.checkStatus, 'refused'),
            ),
          )
      ).map((u) => u.id),
    );
    const photo = (id: string) => services.fileLinks.of(id);
    const s = survey[0];
    ctx.body = {
      caseNo: kase.caseNo,
      state: kase.state,
      category: kase.categoryCode ? { code: kase.categoryCode, name: l.categories.name(kase.categoryCode) } : null,
      description: caseReports.find((r) => r.citizenId === citizenId)?.text ?? kase.description,
      address: kase.address,
      location: kase.lat != null ? { lat: kase.lat, lng: kase.lng } : null,
      createdAt: kase.createdAt.toISOString(),
      photos: before.filter((id) => !hidden.has(id)).map(photo),
      afterPhotos: (resolution?.attachments ?? []).filter((id) => !hidden.has(id)).map(photo),
      reply: resolution?.note ?? null,
      timeline: citizenTimeline(events),
      survey: { pending: pending.some((p) => p.caseNo === kase.caseNo), result: s?.result ?? null },
    };
  });

  router.post(
    '/citizen/reports/:caseNo/survey',
    requireCitizen,
    validate({ params: caseNoParams, body: surveyBody }),
    async (ctx) => {
      const kase = await ownCase(ctx);
      const b = ctx.input.body;
      const openid = await openidOf(ctx.state.citizenId!);
      if (b.comment) await checkCitizenText(services, openid, b.comment);
      const outcome = await answerSurvey(services, {
        caseNo: kase.caseNo,
        citizenId: ctx.state.citizenId!,
        result: b.result,
        comment: b.comment ?? null,
        via: 'miniprogram',
      });
      ctx.body = { state: outcome.case.state, result: b.result };
    },
  );

  /** The template ids the citizen accepted in wx.requestSubscribeMessage: one message each. */
  router.post('/citizen/subscriptions', requireCitizen, validate({ body: subscriptionsBody }), async (ctx) => {
    const b = ctx.input.body;
    const kinds = b.accepted
      .map((id) => templateKindOf(services.config, id))
      .filter((k): k is NonNullable<typeof k> => !!k);
    await recordGrants(services, ctx.state.citizenId!, kinds);
    ctx.status = 204;
  });

  router.get('/public/cases/:caseNo', validate({ params: caseNoParams }), async (ctx) => {
    const kase = await findPublicCase(db, ctx.input.params.caseNo);
    if (!kase) throw notFound('案件');
    ctx.body = publicCase(kase, kase.events, await placeLookups(services));
  });

  router.get('/public/cases', validate({ query: nearbyQuery }), async (ctx) => {
    const q = ctx.input.query;
    const rows = await db
      .select()
      .from(cases)
      .where(inArray(cases.state, closedStates))
      .orderBy(desc(cases.closedAt))
      .limit(200);
    const l = await placeLookups(services);
    const near =
      q.lat != null && q.lng != null
        ? rows.filter((c) => c.lat != null && Math.abs(c.lat - q.lat!) < 0.05 && Math.abs(c.lng! - q.lng!) < 0.05)
        : rows;
    ctx.body = {
      items: near.slice(0, 20).map((c) => ({
        caseNo: c.caseNo,
        category: c.categoryCode ? { code: c.categoryCode, name: l.categories.name(c.categoryCode) } : null,
        state: c.state,
        address: publicPlace(c, l),
        closedAt: c.closedAt?.toISOString() ?? null,
      })),
    };
  });

  return router;
}
