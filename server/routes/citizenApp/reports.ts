import Router from '@koa/router';
import type { Services } from '../../context.js';
import { AppError } from '../../errors.js';
import { validate } from '../../middleware/validate.js';
import { checkCitizenText } from '../../citizens/contentCheck.js';
import { citizenCaseDetail, citizenCases, openidOf, ownUploads, refusedUploads } from '../../citizens/queries.js';
import { intakeReport } from '../../cases/intake.js';
import { pendingSurveyFor } from '../../surveys/queries.js';
import { placeLookups } from '../../presenters/case.js';
import { citizenTimeline } from '../../presenters/citizenCase.js';
import type { CitizenSession } from './session.js';
import { caseNoParams, citizenReportBody } from './schema.js';

/** The citizen's reports: filing one, the list of their cases, and one case's progress. */
export function citizenReportRoutes(services: Services, { requireCitizen, ownCase }: CitizenSession) {
  const router = new Router();

  router.post('/citizen/reports', requireCitizen, validate({ body: citizenReportBody }), async (ctx) => {
    const b = ctx.input.body;
    const citizenId = ctx.state.citizenId!;
    if (b.photos?.length) {
      const own = await ownUploads(services, citizenId, b.photos);
      if (own.length !== new Set(b.photos).size)
        throw new AppError(400, 'invalid_request', 'photos: 只能使用自己上传的照片');
      if (own.some((u) => u.status === 'refused'))
        throw new AppError(422, 'content_refused', '有照片未通过安全审核，请删除后再提交');
    }
    const openid = await openidOf(services, citizenId);
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
    const mine = await citizenCases(services, citizenId);
    const waiting = mine.reports.length ? await pendingSurveyFor(services, citizenId) : [];
    const l = await placeLookups(services);
    ctx.body = {
      items: mine.cases.map((c) => {
        const photo = mine.reports.find((r) => r.caseId === c.id)?.photos[0];
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
    const citizenId = ctx.state.citizenId!;
    const kase = await ownCase(citizenId, ctx.input.params.caseNo);
    const [detail, pending] = await Promise.all([
      citizenCaseDetail(services, kase.id, citizenId),
      pendingSurveyFor(services, citizenId),
    ]);
    const l = await placeLookups(services);
    const before = detail.reports.filter((r) => r.citizenId === citizenId).flatMap((r) => r.photos);
    const resolution = [...detail.events].reverse().find((e) => e.action === 'resolve');
    const hidden = await refusedUploads(services, [...before, ...(resolution?.attachments ?? [])]);
    const photo = (id: string) => services.fileLinks.of(id);
    ctx.body = {
      caseNo: kase.caseNo,
      state: kase.state,
      category: kase.categoryCode ? { code: kase.categoryCode, name: l.categories.name(kase.categoryCode) } : null,
      description: detail.reports.find((r) => r.citizenId === citizenId)?.text ?? kase.description,
      address: kase.address,
      location: kase.lat != null ? { lat: kase.lat, lng: kase.lng } : null,
      createdAt: kase.createdAt.toISOString(),
      photos: before.filter((id) => !hidden.has(id)).map(photo),
      afterPhotos: (resolution?.attachments ?? []).filter((id) => !hidden.has(id)).map(photo),
      reply: resolution?.note ?? null,
      timeline: citizenTimeline(detail.events),
      survey: { pending: pending.some((p) => p.caseNo === kase.caseNo), result: detail.survey?.result ?? null },
    };
  });

  return router;
}
