import type { Services } from '../context.js';
import { caseEvents, surveys } from '../db/schema.js';
import { loadCase } from '../cases/transitions.js';
import { nextCallTime } from './callingHours.js';
import { nextChannel } from './channels.js';
import { caseCitizens, factsOf, reachOf } from './facts.js';
import { surveyPolicy, type SurveyChannel } from './policy.js';
import { enqueueAttempt, settleRound } from './rounds.js';

const channelLabel: Record<SurveyChannel | 'manual', string> = {
  phone: '电话',
  sms: '短信',
  miniprogram: '小程序',
  chat: '微信对话',
  manual: '人工',
};

/**
 * Starts the round of surveys for a case that has just reached 回访: one survey per
 * citizen (reporter and merged duplicate reporters), the first at the next moment
 * inside calling hours. The round is the case's rework count, and (case, citizen,
 * round) is unique, so running this twice schedules nothing new.
 */
export async function scheduleSurveys(
  services: Services,
  caseId: string,
  now = new Date(),
): Promise<{ round: number; scheduled: number } | null> {
  const policy = surveyPolicy(services.config);
  const reach = reachOf(services);
  return services.database.db.transaction(async (tx) => {
    const kase = await loadCase(tx, caseId, true);
    if (!kase || kase.state !== '回访') return null;
    const round = kase.reworkCount;
    const at = nextCallTime(now, policy.windows, services.calendar);
    const created: Array<{ id: string; channel: SurveyChannel | 'manual' }> = [];
    for (const { citizen, origin } of await caseCitizens(tx, kase)) {
      const channel = nextChannel(factsOf(citizen, origin), policy.order, reach);
      const [row] = await tx
        .insert(surveys)
        .values(
          channel
            ? { caseId, citizenId: citizen.id, round, channel, status: 'scheduled', nextAttemptAt: at }
            : {
                caseId,
                citizenId: citizen.id,
                round,
                channel: 'manual',
                status: 'exhausted',
                result: '未接通',
                lastOutcome: citizen.doNotCall ? 'do_not_call' : 'no_channel',
              },
        )
        .onConflictDoNothing()
        .returning({ id: surveys.id });
      if (!row) continue;
      created.push({ id: row.id, channel: channel ?? 'manual' });
      if (channel) await enqueueAttempt(services, tx, row.id, at);
    }
    if (created.length) {
      const counts = new Map<string, number>();
      for (const c of created) counts.set(channelLabel[c.channel], (counts.get(channelLabel[c.channel]) ?? 0) + 1);
      await tx.insert(caseEvents).values({
        caseId,
        actorType: 'system',
        action: 'survey_scheduled',
        fromState: kase.state,
        toState: kase.state,
        note: `第 ${round + 1} 轮回访：${[...counts].map(([k, n]) => `${k} ${n} 位`).join('，')}`,
        data: { round, surveyIds: created.map((c) => c.id), firstAttemptAt: at.toISOString() },
      });
    }
    await settleRound(tx, caseId, kase.state, round);
    return { round, scheduled: created.length };
  });
}
