import { eq, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { cases, citizens, notifications, surveys } from '../db/schema.js';
import { buildSubscribeMessage, type TemplateKind } from '../wechatApi/templates.js';
import { WechatError } from '../wechatApi/errors.js';
import { releaseGrant, takeGrant, templateIds } from './grants.js';
import { chatMessages } from './messages.js';
import { noticesFor } from './notice.js';
import { originOn } from '../surveys/facts.js';
import { smsParams, smsTemplateId } from '../sms/templates.js';
import { surveyCode } from '../surveys/shortLink.js';
import { SmsError, type SmsMessage } from '../sms/types.js';

export type NotificationKind = TemplateKind;

/** The data of a `notify-citizen` job. */
export interface NotifyJob {
  kind: NotificationKind;
  caseId: string;
  citizenId: string;
  /** One notification per key, ever: see `dedupeKeys`. */
  dedupeKey: string;
  surveyId?: string;
}

export const dedupeKeys = {
  registered: (caseId: string, citizenId: string) => `registered:${caseId}:${citizenId}`,
  dispatched: (caseId: string, citizenId: string) => `dispatched:${caseId}:${citizenId}`,
  /** Once per disposal: a reworked case is resolved again. */
  resolved: (caseId: string, citizenId: string, round: number) => `resolved:${caseId}:${citizenId}:${round}`,
  survey: (surveyId: string, channel: string) => `survey:${surveyId}:${channel}`,
};

type Channel = 'subscribe' | 'chat' | 'sms' | 'none';
export type NotifyResult =
  | { status: 'sent' | 'skipped' | 'refused' | 'failed'; channel: Channel; detail: string | null }
  /** Already handled by an earlier run, or being sent by another one right now. */
  | { status: 'duplicate' | 'in_progress' };

/**
 * The `notify-citizen` job. A notification another run is sending right now fails
 * the job, so it is retried (and then finds it sent, or the other run dead).
 */
export async function runNotifyJob(services: Services, job: NotifyJob): Promise<NotifyResult> {
  const result = await notifyCitizen(services, job);
  if (result.status === 'in_progress') throw new Error(`notification ${job.dedupeKey} is being sent by another run`);
  return result;
}

/** A claim older than this belongs to a run that died while sending (job retries outlast it). */
const CLAIM_MS = 2 * 60_000;
const SENDING = 'sending:';

type Plan =
  | { done: NotifyResult }
  | { channel: 'subscribe'; grantId: number; touser: string; message: ReturnType<typeof buildSubscribeMessage> }
  | { channel: 'chat'; contactId: string; text: string }
  | { channel: 'sms'; message: SmsMessage };

/** Citizens who came by phone hear by SMS; the others are reached where they came from. */
const PHONE_ORIGINS: readonly string[] = ['hotline', 'agent'];

async function write(
  tx: DbOrTx,
  job: NotifyJob,
  channel: Channel,
  status: 'sent' | 'skipped' | 'refused' | 'failed',
  detail: string | null,
) {
  await tx
    .insert(notifications)
    .values({
      dedupeKey: job.dedupeKey,
      caseId: job.caseId,
      citizenId: job.citizenId,
      kind: job.kind,
      channel,
      status,
      detail,
    })
    .onConflictDoUpdate({ target: notifications.dedupeKey, set: { channel, status, detail } });
}

/**
 * Tells one citizen about one step of their case, at most once per dedupe key.
 * WeChat subscribe message when the citizen granted that template, else a chat
 * message when they chat with us and the bot is up, else an SMS (template id and case
 * number only) when they came by phone and have not replied TD, else nothing ('skipped').
 * The send happens outside any transaction, between a claim and its result, so
 * a slow WeChat never holds the database. A refusal (43101) is final; a rate
 * limit or outage is written as 'failed' and thrown, so the job retries it.
 */
export async function notifyCitizen(services: Services, job: NotifyJob, now = new Date()): Promise<NotifyResult> {
  const db = services.database.db;
  const plan = await db.transaction(async (tx): Promise<Plan> => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'notify:' + job.dedupeKey}))`);
    const [prior] = await tx.select().from(notifications).where(eq(notifications.dedupeKey, job.dedupeKey));
    if (prior && prior.status !== 'failed') return { done: { status: 'duplicate' } };
    if (
      prior?.detail?.startsWith(SENDING) &&
      now.getTime() - Date.parse(prior.detail.slice(SENDING.length)) < CLAIM_MS
    ) {
      return { done: { status: 'in_progress' } };
    }
    const skip = async (detail: string): Promise<Plan> => {
      await write(tx, job, 'none', 'skipped', detail);
      return { done: { status: 'skipped', channel: 'none', detail } };
    };

    const [citizen] = await tx.select().from(citizens).where(eq(citizens.id, job.citizenId));
    const [kase] = await tx.select().from(cases).where(eq(cases.id, job.caseId));
    if (!citizen || !kase) return skip('citizen or case not found');
    let surveyChannel: string | null = null;
    if (job.kind === 'survey') {
      const [survey] = job.surveyId ? await tx.select().from(surveys).where(eq(surveys.id, job.surveyId)) : [];
      if (survey?.status !== 'waiting') return skip('survey no longer waiting');
      surveyChannel = survey.channel;
    }

    const notices = await noticesFor(services, tx, kase, job.kind, now);
    const why: string[] = [];
    if (citizen.openid && (surveyChannel == null || surveyChannel === 'miniprogram')) {
      const templateId = templateIds(services.config)[job.kind];
      if (!services.wechat) why.push('wechat not configured');
      else if (!templateId) why.push(`template ${job.kind} not configured`);
      else {
        const grantId = await takeGrant(tx, citizen.id, job.kind, now);
        if (grantId == null) why.push(`no ${job.kind} grant`);
        else {
          await write(tx, job, 'subscribe', 'failed', SENDING + now.toISOString());
          const message = buildSubscribeMessage(job.kind, notices.subscribe, {
            touser: citizen.openid,
            templateIds: templateIds(services.config),
          });
          return { channel: 'subscribe', grantId, touser: citizen.openid, message };
        }
      }
    }
    if (citizen.chatContactId && (surveyChannel == null || surveyChannel === 'chat')) {
      if (!services.chatSender) why.push('chat bot not running');
      // Outside WeChat's 48-hour window (or its 5 messages used up) a chat message is not attempted.
      else if (services.chatSender.reachable && !(await services.chatSender.reachable(tx, citizen.chatContactId, now)))
        why.push('chat window closed');
      else {
        await write(tx, job, 'chat', 'failed', SENDING + now.toISOString());
        return { channel: 'chat', contactId: citizen.chatContactId, text: chatMessages[job.kind](notices.chat) };
      }
    }
    if (citizen.phoneEnc && (surveyChannel == null || surveyChannel === 'sms')) {
      const templateId = smsTemplateId(services.config, job.kind);
      const origin = surveyChannel ? null : await originOn(tx, kase, citizen.id);
      if (surveyChannel == null && !PHONE_ORIGINS.includes(origin ?? '')) why.push('not a phone citizen');
      else if (!services.sms) why.push('sms not configured');
      else if (!templateId) why.push(`sms template ${job.kind} not configured`);
      else if (citizen.smsOptOutAt) why.push('sms opted out');
      else {
        await write(tx, job, 'sms', 'failed', SENDING + now.toISOString());
        const phone = services.phones.decrypt(citizen.phoneEnc);
        const code =
          job.kind === 'survey' && job.surveyId ? surveyCode(services.config.SESSION_SECRET, job.surveyId) : undefined;
        return { channel: 'sms', message: { phone, templateId, params: smsParams(kase.caseNo, code) } };
      }
    }
    return skip(why.join('; ') || 'no wechat contact or phone');
  });
  if ('done' in plan) return plan.done;

  let error: unknown = null;
  try {
    if (plan.channel === 'subscribe') await services.wechat!.sendSubscribeMessage(plan.message);
    else if (plan.channel === 'sms') await services.sms!.send(plan.message);
    else await services.chatSender!.send(plan.contactId, plan.text);
  } catch (err) {
    error = err;
  }

  const refused = error instanceof WechatError && error.code === 'subscription_refused';
  const final = (error instanceof WechatError || error instanceof SmsError) && !error.retryable;
  const retryable = error != null && !refused && !final;
  const result: NotifyResult = !error
    ? { status: 'sent', channel: plan.channel, detail: null }
    : refused
      ? { status: 'refused', channel: plan.channel, detail: (error as Error).message.slice(0, 300) }
      : { status: 'failed', channel: plan.channel, detail: String((error as Error)?.message ?? error).slice(0, 300) };
  await db.transaction(async (tx) => {
    // 43101 means WeChat holds no consent for us: the grant is spent either way.
    if (plan.channel === 'subscribe' && error && !refused) await releaseGrant(tx, plan.grantId);
    await write(tx, job, result.channel, result.status, result.detail);
  });
  if (retryable) throw error;
  if (error) services.log.warn({ dedupeKey: job.dedupeKey, err: error }, 'notification not delivered');
  return result;
}
