import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import send from 'koa-send';
import type { Services } from '../../context.js';
import { openEventStream } from '../../lib/eventStream.js';
import { staffExtension } from '../../auth/staff.js';
import { findCall } from '../../telephony/queries.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { notFound } from '../../errors.js';
import { DbCallRecordStore } from '../../telephony/callStore.js';
import { buildScreenPop, type ScreenPopPayload } from '../../telephony/screenPops.js';

const simulateBody = z.object({
  caller: z.string().trim().min(5).max(20),
  called: z.string().trim().max(20).optional(),
  agent: z.string().trim().max(20).optional(),
});

export function callRoutes(services: Services) {
  const router = new Router({ prefix: '/api' });
  router.use(requireStaff);

  /** Server-Sent Events: the agent's screen-pops, with a comment every 15 s to keep proxies from closing it. */
  router.get('/screen-pop/stream', async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'call.read');
    const me = await staffExtension(services, actor.id);
    const all = ctx.query.all === '1' && actor.role !== 'agent';
    const events = openEventStream(ctx);
    const send = (pop: ScreenPopPayload) =>
      events.stream.write(`event: screen-pop\nid: ${pop.callId}\ndata: ${JSON.stringify(pop)}\n\n`);
    await events.follow(
      () => services.screenPops.subscribe({ extension: me?.extension ?? null, all }, send),
      me?.extension ?? '',
    );
    // A reconnect (to this or another instance) gets the call in progress, unless it already had it.
    const current = me?.extension ? await services.screenPops.current(me.extension) : null;
    if (current && !events.closed() && ctx.get('Last-Event-ID') !== current.callId) send(current);
  });

  /**
   * The agent's call in progress, for a console that has just loaded (a reload mid-call): the pop
   * built afresh, with the cases filed during the call; null when the agent is on no call.
   */
  router.get('/screen-pop/current', async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'call.read');
    const me = await staffExtension(services, actor.id);
    const current = me?.extension ? await services.screenPops.current(me.extension) : null;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { screenPop: current ? await buildScreenPop(services, current.callId, current.agent) : null };
  });

  /** Demo and tests without a PBX: an inbound hotline call bridged to an agent, recorded like a real one. */
  router.post('/calls/simulate', validate({ body: simulateBody }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'call.read');
    if (services.config.NODE_ENV === 'production') throw notFound('接口');
    const b = ctx.input.body;
    const me = await staffExtension(services, actor.id);
    const agent = b.agent ?? me?.extension ?? '8001';
    const now = new Date();
    const id = `sim-${randomUUID()}`;
    await new DbCallRecordStore(services).upsert({
      id,
      direction: 'inbound',
      callerNumber: b.caller,
      callerName: null,
      calledNumber: b.called ?? services.config.hotlineNumbers[0],
      startedAt: now,
      answeredAt: now,
      bridgedAt: now,
      endedAt: null,
      hangupCause: null,
      recordingPath: null,
      agent: { extension: agent, id: null },
      variables: {},
      dtmf: '',
    });
    const pop = await buildScreenPop(services, id, agent);
    await services.screenPops.publish(pop);
    ctx.status = 201;
    ctx.body = { callId: id, screenPop: pop };
  });

  router.get('/calls/:id/recording', async (ctx) => {
    authorize(actorOf(ctx), 'call.read');
    const call = await findCall(services, ctx.params.id);
    const root = path.resolve(services.config.RECORDINGS_DIR);
    const file = call?.recordingPath ? path.resolve(root, path.basename(call.recordingPath)) : null;
    if (!file || !existsSync(file)) throw notFound('录音');
    await send(ctx, path.basename(file), { root });
  });

  return router;
}
