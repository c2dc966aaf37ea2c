import Router from '@koa/router';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { notFound } from '../../errors.js';
import { createAnswer, deleteAnswer, listAnswers, searchAnswers, updateAnswer } from '../../knowledge/answers.js';
import { presentAnswer } from '../../presenters/knowledge.js';
import { answerBody, answerParams, answerUpdateBody, searchQuery } from './schema.js';

/** The 咨询 knowledge base: agents search it from the intake form; administrators keep it. */
export function knowledgeRoutes(services: Services) {
  const router = new Router({ prefix: '/api/knowledge' });
  router.use(requireStaff);

  router.get('/search', validate({ query: searchQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'report.create');
    const { q } = ctx.input.query;
    ctx.body = { items: (await searchAnswers(services, q)).map(presentAnswer) };
  });

  router.get('/', async (ctx) => {
    authorize(actorOf(ctx), 'knowledge.manage');
    const rows = await listAnswers(services);
    ctx.body = { items: rows.map(presentAnswer) };
  });

  router.post('/', validate({ body: answerBody }), async (ctx) => {
    authorize(actorOf(ctx), 'knowledge.manage');
    const b = ctx.input.body;
    const row = await createAnswer(services, b);
    ctx.status = 201;
    ctx.body = { item: presentAnswer(row) };
  });

  router.put('/:id', validate({ params: answerParams, body: answerUpdateBody }), async (ctx) => {
    authorize(actorOf(ctx), 'knowledge.manage');
    const b = ctx.input.body;
    const row = await updateAnswer(services, ctx.input.params.id, b);
    if (!row) throw notFound('知识条目');
    ctx.body = { item: presentAnswer(row) };
  });

  router.delete('/:id', validate({ params: answerParams }), async (ctx) => {
    authorize(actorOf(ctx), 'knowledge.manage');
    if (!(await deleteAnswer(services, ctx.input.params.id))) throw notFound('知识条目');
    ctx.status = 204;
  });

  return router;
}
