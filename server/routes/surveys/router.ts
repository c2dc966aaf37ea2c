import Router from '@koa/router';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { lookups, presentCaseSummary } from '../../presenters/case.js';
import { answerSurvey } from '../../surveys/answer.js';
import { callbackQueue } from '../../surveys/queries.js';
import { answerBody, callbackAttemptBody, surveyIdParams } from './schema.js';
import { recordCallbackAttempt, revealForCallback } from '../../surveys/callbacks.js';
import { startCallbackCall } from '../../surveys/callbackCall.js';
import { presentCallback, presentSurvey } from '../../presenters/survey.js';

export function surveyRoutes(services: Services) {
  const router = new Router({ prefix: '/api/surveys' });
  router.use(requireStaff);

  /** Surveys that need a person: not reached after every attempt, refused, or nobody to ask. */
  router.get('/callbacks', async (ctx) => {
    authorize(actorOf(ctx), 'survey.record');
    const [items, l] = await Promise.all([callbackQueue(services), lookups(services)]);
    ctx.body = {
      items: items.map((i) => presentCallback(i, l)),
      // The console says plainly how the agent calls: there is no click-to-call without a PBX.
      pbx: services.pbx != null,
    };
  });

  /** The full number of the survey's citizen, for the agent about to call back; audited with the case. */
  router.post('/:id/reveal', validate({ params: surveyIdParams }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'survey.record');
    authorize(actor, 'citizen.unmask');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await revealForCallback(services, ctx.input.params.id, actor.id, ctx.ip);
  });

  /** 拨打: the PBX rings the agent's extension, then the citizen; answered 202 before the phones ring. */
  router.post('/:id/callback-call', validate({ params: surveyIdParams }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'survey.callback_call');
    const started = await startCallbackCall(services, ctx.input.params.id, actor.id, ctx.ip);
    ctx.status = 202;
    ctx.body = started;
  });

  /** A call back that reached nobody (made on another phone): kept on the case's timeline and counted. */
  router.post(
    '/:id/callback-attempts',
    validate({ params: surveyIdParams, body: callbackAttemptBody }),
    async (ctx) => {
      const actor = actorOf(ctx);
      authorize(actor, 'survey.record');
      const b = ctx.input.body;
      ctx.status = 201;
      ctx.body = await recordCallbackAttempt(services, ctx.input.params.id, actor.id, b.outcome, b.note ?? null);
    },
  );

  /** An answer an agent took by hand (a manual callback, or the citizen calling in). */
  router.post('/:id/answer', validate({ params: surveyIdParams, body: answerBody }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'survey.record');
    const b = ctx.input.body;
    const out = await answerSurvey(services, {
      surveyId: ctx.input.params.id,
      result: b.result,
      comment: b.comment,
      via: 'agent',
      staffId: actor.id,
    });
    ctx.body = { survey: presentSurvey(out.survey), case: presentCaseSummary(out.case, await lookups(services)) };
  });

  return router;
}
