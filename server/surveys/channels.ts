import type { ReportChannel } from '../db/schema.js';
import type { SurveyChannel } from './policy.js';

/** What we know of one citizen on one case, for choosing how to survey them. */
export interface CitizenFacts {
  /** The channel of the citizen's first report on the case. */
  origin: ReportChannel | null;
  hasPhone: boolean;
  doNotCall: boolean;
  /** Replied TD to one of our SMS. */
  smsOptOut: boolean;
  hasOpenid: boolean;
  hasChatContact: boolean;
}

/** What this process can use right now. */
export interface Reach {
  /** A PBX for survey calls is configured. */
  phone: boolean;
  /** The chat bot has registered its sender. */
  chat: boolean;
  /** A survey subscribe message can be pushed (WeChat and the survey template are configured). */
  push: boolean;
  /** An SMS provider and the survey template are configured. */
  sms: boolean;
}

const preferredByOrigin: Partial<Record<ReportChannel, SurveyChannel>> = {
  hotline: 'phone',
  agent: 'phone',
  miniprogram: 'miniprogram',
  wechat: 'chat',
};

/**
 * Every channel in the order we would try it, available or not: first the one the
 * citizen came in by, then the configured fall-backs. A mini-program survey we cannot
 * push only shows up when the citizen opens the mini-program, so it goes last.
 * The sequence depends on nothing that changes during a survey, so walking it
 * forward (`nextChannel`) never loops.
 */
export function channelSequence(facts: CitizenFacts, order: readonly SurveyChannel[], reach: Reach): SurveyChannel[] {
  const preferred = facts.origin ? preferredByOrigin[facts.origin] : undefined;
  let seq = preferred && order.includes(preferred) ? [preferred, ...order.filter((c) => c !== preferred)] : [...order];
  if (!reach.push && seq.includes('miniprogram')) seq = [...seq.filter((c) => c !== 'miniprogram'), 'miniprogram'];
  return seq;
}

export function channelAvailable(channel: SurveyChannel, facts: CitizenFacts, reach: Reach): boolean {
  switch (channel) {
    case 'phone':
      return reach.phone && facts.hasPhone && !facts.doNotCall;
    case 'sms':
      return reach.sms && facts.hasPhone && !facts.smsOptOut;
    case 'miniprogram':
      return facts.hasOpenid;
    case 'chat':
      return reach.chat && facts.hasChatContact;
  }
}

/** The first channel to use (after: the one after `after`), or null when none is left. */
export function nextChannel(
  facts: CitizenFacts,
  order: readonly SurveyChannel[],
  reach: Reach,
  after?: SurveyChannel | 'manual',
): SurveyChannel | null {
  const seq = channelSequence(facts, order, reach);
  const from = after ? seq.indexOf(after as SurveyChannel) + 1 : 0;
  if (after && from === 0) return null;
  return seq.slice(from).find((c) => channelAvailable(c, facts, reach)) ?? null;
}
