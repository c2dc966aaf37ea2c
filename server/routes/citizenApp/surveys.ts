import Router from '@koa/router';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { checkCitizenText } from '../../citizens/contentCheck.js';
import { openidOf } from '../../citizens/queries.js';
import { answerSurvey } from '../../surveys/answer.js';
import type { CitizenSession } from './session.js';
import { caseNoParams, surveyBody } from './schema.js';

/** The citizen answers the survey of their own case from the mini-program. */
export function citizenSurveyRoutes(services: Services, { requireCitizen, ownCase }: CitizenSession) {
  const router = new Router();

  router.post(
    '/citizen/reports/:caseNo/survey',
    requireCitizen,
    validate({ params: caseNoParams, body: surveyBody }),
    async (ctx) => {
      const citizenId = ctx.state.citizenId!;
      const kase = await ownCase(citizenId, ctx.input.params.caseNo);
      const b = ctx.input.body;
      const openid = await openidOf(services, citizenId);
      if (b.comment) await checkCitizenText(services, openid, b.comment);
      const outcome = await answerSurvey(services, {
        caseNo: kase.caseNo,
        citizenId,
        result: b.result,
        comment: b.comment ?? null,
        via: 'miniprogram',
      });
      ctx.body = { state: outcome.case.state, result: b.result };
    },
  );

  return router;
}
