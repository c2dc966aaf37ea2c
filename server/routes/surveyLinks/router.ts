import Router from '@koa/router';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { notFound } from '../../errors.js';
import { answerByCode, surveyByCode } from '../../surveys/shortLink.js';
import { codeParams, linkAnswerBody } from './schema.js';
import { linkPage, LINK_SCRIPT } from '../../presenters/surveyLink.js';

/** The SMS survey's short link: a page at /s/<code> and the answer it posts. No login: the code is the key. */
export function surveyLinkRoutes(services: Services) {
  const router = new Router();

  router.get('/s/answer.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = LINK_SCRIPT;
  });

  router.get('/s/:code', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const parsed = codeParams.safeParse(ctx.params);
    const survey = parsed.success ? await surveyByCode(services, parsed.data.code).catch(() => null) : null;
    // A phone's browser asks for HTML and gets a page that says the link is not valid; any other client
    // (no Accept, or JSON first) gets the API's error shape.
    if (!survey && ctx.accepts('json', 'html') !== 'html') throw notFound('回访链接');
    ctx.type = 'text/html; charset=utf-8';
    if (!survey) ctx.status = 404;
    ctx.body = linkPage(survey);
  });

  router.post(
    '/api/public/surveys/:code/answer',
    validate({ params: codeParams, body: linkAnswerBody }),
    async (ctx) => {
      const b = ctx.input.body;
      const out = await answerByCode(services, ctx.input.params.code, b.result, b.comment ?? null);
      ctx.body = { caseNo: out.case.caseNo, result: out.survey.result, effect: out.effect };
    },
  );

  return router;
}
