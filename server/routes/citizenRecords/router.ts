import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { auditUnmask, citizenHistory, findCitizen } from '../../citizens/records.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { notFound } from '../../errors.js';
import { groupBy } from '../../lib/groupBy.js';

const idParams = z.object({ id: z.string().uuid() });

export function citizenRoutes(services: Services) {
  const router = new Router({ prefix: '/api/citizens' });
  router.use(requireStaff);

  async function load(id: string) {
    const c = await findCitizen(services, id);
    if (!c) throw notFound('市民');
    return c;
  }

  router.get('/:id', validate({ params: idParams }), async (ctx) => {
    authorize(actorOf(ctx), 'citizen.read');
    const c = await load(ctx.input.params.id);
    ctx.body = {
      citizen: {
        id: c.id,
        phoneMasked: c.phoneMasked,
        name: c.name,
        wechat: !!c.openid || !!c.chatContactId,
        doNotCall: c.doNotCall,
        createdAt: c.createdAt.toISOString(),
      },
    };
  });

  /** The full number, for an agent who must call back; every reveal is written to the audit log. */
  router.post('/:id/unmask', validate({ params: idParams }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'citizen.unmask');
    const c = await load(ctx.input.params.id);
    if (!c.phoneEnc) throw notFound('该市民的电话号码');
    await auditUnmask(services, actor.id, c.id, ctx.ip);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { phone: services.phones.decrypt(c.phoneEnc) };
  });

  /** Every report, call and case event of one citizen, across channels, newest first. */
  router.get('/:id/timeline', validate({ params: idParams }), async (ctx) => {
    authorize(actorOf(ctx), 'citizen.read');
    const c = await load(ctx.input.params.id);
    const { reports: rs, calls: cs, cases: own, surveyEvents } = await citizenHistory(services, c.id);
    const caseNoById = new Map(own.map((k) => [k.id, k.caseNo]));
    type SurveyItem = { type: 'survey'; at: string; caseId: string; caseNo: string; note: string | null };
    const items: Array<Record<string, unknown> & { at: string }> = [
      ...rs.map((r) => ({
        type: 'report' as const,
        at: r.createdAt.toISOString(),
        channel: r.channel,
        text: r.text,
        caseId: r.caseId,
        caseNo: caseNoById.get(r.caseId!) ?? null,
        disposition: r.disposition,
      })),
      ...cs.map((k) => ({
        type: 'call' as const,
        at: k.startedAt.toISOString(),
        direction: k.direction,
        caseId: k.caseId,
        endedAt: k.endedAt?.toISOString() ?? null,
        hangupCause: k.hangupCause,
      })),
    ];
    const eventsOf = groupBy(surveyEvents, (e) => e.caseId);
    for (const k of own) {
      for (const e of eventsOf.get(k.id) ?? []) {
        const item: SurveyItem = {
          type: 'survey',
          at: e.createdAt.toISOString(),
          caseId: k.id,
          caseNo: k.caseNo,
          note: e.note,
        };
        items.push(item);
      }
    }
    items.sort((a, b) => (a.at < b.at ? 1 : -1));
    ctx.body = { items };
  });

  return router;
}
