import Router from '@koa/router';
import { desc, eq } from 'drizzle-orm';
import type { Services } from '../../context.js';
import { knowledgeAnswers } from '../../db/schema.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { notFound } from '../../errors.js';
import { searchAnswers } from '../../knowledge/answers.js';
import { presentAnswer } from '../../presenters/knowledge.js';
import { answerBody, answerParams, answerUpdateBody, searchQuery } from './schema.js';

/** The 咨询 knowledge base: agents search it from the intake form; administrators keep it. */
export function knowledgeRoutes(services: Services) {
  const router = new Router({ prefix: '/api/knowledge' });
  const db = services.database.db;
  router.use(requireStaff);

  router.get('/search', validate({ query: searchQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'report.create');
    const { q } = ctx.input.query;
    ctx.body = { items: (await searchAnswers(db, q)).map(presentAnswer) };
  });

  router.get('/', async (ctx) => {
    authorize(actorOf(ctx), 'knowledge.manage');
    const rows = await db.select().from(knowledgeAnswers).orderBy(desc(knowledgeAnswers.updatedAt));
    ctx.body = { items: rows.map(presentAnswer) };
  });

  router.post('/', validate({ body: answerBody }), async (ctx) => {
    authorize(actorOf(ctx), 'knowledge.manage');
    const b = ctx.input.body;
    const [row] = await db.insert(knowledgeAnswers).values(b).returning();
    ctx.status = 201;
    ctx.body = { item: presentAnswer(row) };
  });

  router.put('/:id', validate({ params: answerParams, body: answerUpdateBody }), async (ctx) => {
    authorize(actorOf(ctx), 'knowledge.manage');
    const b = ctx.input.body;
    const [row] = await db
      .update(knowledgeAnswers)
      .set({ ...b, updatedAt: new Date() })
      .where(eq(knowledgeAnswers.id, ctx.state.params.id))
      .returning();
    if (!row) throw notFound('知识条目');
    ctx.body = { item: presentAnswer(row) };
  });

  router.delete('/:id', validate({ params: answerParams }), async (ctx) => {
    authorize(actorOf(ctx), 'knowledge.manage');
    const [row] = await db
      .delete(knowledgeAnswers)
      .where(eq(knowledgeAnswers.id, ctx.state.params.id))
      .returning({ id: knowledgeAnswers.id });
    if (!row) throw notFound('知识条目');
    ctx.status = 204;
  });

  return router;
}
