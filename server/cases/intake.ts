import { eq, inArray, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import type { DbOrTx, Tx } from '../db/client.js';
import { calls, caseEvents, cases, citizens, reports, uploads, type ReportChannel } from '../db/schema.js';
import { conflict, fieldsOf, invalidRequest, unprocessable, type ThrownFields } from '../errors.js';
import { resolveCitizen, type CitizenIdentity } from '../citizens/resolve.js';
import { decisionOf, type Classification } from '../../nlp/classifier/classify.js';
import { caseNumbering } from './caseNumber.js';
import { duplicateLockKeys, findNearbyOpenCases } from './duplicates.js';
import type { CaseRow } from '../db/rows.js';
import { route, routedFields } from './routing.js';
import { applyTransition, jobSender } from './transitions.js';
import { HeldWrites } from '../db/heldWrites.js';
import { transaction, type EndWith } from '../db/transaction.js';
import { insertRowsStatement, insertStatement, joinStatements, runStatement } from '../db/statementText.js';
import { rowFromJson } from '../db/jsonRows.js';
import { randomUUID } from 'node:crypto';
import type { Urgency } from './urgency.js';
import { announceCaseChange } from './changes.js';
import { registeredNotice } from '../notifications/reactions.js';
import type { ReportRow } from '../db/rows.js';

export interface IntakeInput {
  channel: ReportChannel;
  idempotencyKey: string;
  text: string;
  citizen?: CitizenIdentity;
  staffId?: string;
  location?: { lat: number; lng: number } | null;
  address?: string | null;
  /** A category chosen by a person; overrides the classifier. */
  categoryCode?: string | null;
  photos?: string[];
  callId?: string | null;
  /** 紧急 shortens the 指挥手册's time limit (cases/urgency.ts). */
  urgency?: Urgency;
  /** The citizen's name as given, kept even without a phone number. */
  reporterName?: string | null;
  /** 咨询: a question answered on the spot; the case is recorded and closed with the answer, never dispatched. */
  consultation?: { answer: string; knowledgeId?: number | null };
  raw?: unknown;
}

export type { ReportRow } from '../db/rows.js';

export interface IntakeResult {
  /** false when the idempotency key had been seen: the first result is returned. */
  created: boolean;
  duplicate: boolean;
  report: ReportRow;
  case: CaseRow;
}

const isUniqueViolation = (err: unknown, constraint: string) => {
  const outer = fieldsOf(err);
  const e = fieldsOf(outer.cause ?? err) as ThrownFields & { constraint?: unknown; detail?: unknown };
  return e.code === '23505' && String(e.constraint ?? e.detail ?? e.message).includes(constraint);
};

/** The cells' advisory locks for n keys, taken in the keys' order: one text per n (at most four). */
const cellLocksTexts: string[] = [];
const cellLocksText = (n: number) =>
  (cellLocksTexts[n] ??= `select pg_advisory_xact_lock(hashtext(k)) from unnest(array[${Array.from(
    { length: n },
    (_, i) => `$${i + 1}`,
  ).join(', ')}]::text[]) as k`);

function titleOf(text: string, categoryName: string | null, placeNames: string[]): string {
  const place = placeNames.at(-1);
  if (categoryName) return place ? `${categoryName}（${place}）` : categoryName;
  const first = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/[。！？!?\n]/)[0];
  return first.length > 30 ? `${first.slice(0, 30)}…` : first || '市民诉求';
}

async function existing(db: DbOrTx, key: string): Promise<{ report: ReportRow; case: CaseRow } | null> {
  const [report] = await db.select().from(reports).where(eq(reports.idempotencyKey, key)).limit(1);
  if (!report) return null;
  const [kase] = await db.select().from(cases).where(eq(cases.id, report.caseId!));
  return { report, case: kase };
}

/**
 * The one way a report enters the service, whatever the channel. Everything
 * from the report row to the follow-up jobs is written in one transaction, so a
 * 201 means it is stored, and a retried key returns the first answer.
 */
export async function intakeReport(services: Services, input: IntakeInput): Promise<IntakeResult> {
  const { database, config, phones } = services;
  const text = input.text.trim();
  if (!text) throw invalidRequest('text: 内容不能为空');
  // Channel prefix + a key of at most IDEMPOTENCY_KEY_MAX: well inside a btree index entry.
  if (input.idempotencyKey.length > 512) throw invalidRequest('idempotencyKey: 过长');

  // No look-up of the key first: a retry is rare, and its report insert meets the key's unique index,
  // which rolls the attempt back (no number taken) and answers from the first one below.
  const categories = await services.categories();
  let classification: Classification | null = null;
  let chosen = input.categoryCode ? categories.resolve(input.categoryCode) : null;
  if (input.categoryCode && !chosen) throw unprocessable('unknown_category', `分类代码 ${input.categoryCode} 不存在`);
  // A category chosen by a person stands; the classifier is asked only when there is none.
  if (!chosen) {
    classification = services.classifier.classify(text);
    if (classification.minor) chosen = categories.resolve(classification.minor.code);
  }
  const minor = chosen?.minor ?? null;
  const major = chosen?.major ?? null;
  const consultation = input.consultation ?? null;
  // Text that says nothing ("喂你好我想反映个事情") goes to review even when a category was picked for it.
  const vague = (classification ?? services.classifier.classify(text)).reviewReasons.includes('vague');
  const needsReview =
    !consultation && (vague || (!input.categoryCode && (!classification || classification.needsReview || !minor)));
  const urgency = input.urgency ?? '一般';

  const locator = await services.areas();
  const placement = locator.locate({ lat: input.location?.lat, lng: input.location?.lng, address: input.address });
  const point = input.location ?? null;

  try {
    // Every intake writes the day's counter row (or a duplicate's case row): its commit frees the row before
    // the commit's flush, and the intake is answered after the flush (db/transaction.ts).
    const open = async (tx: Tx, end: EndWith): Promise<IntakeResult> => {
      // History, job and call-link rows ride with a later statement instead of a round trip each.
      const held = new HeldWrites();
      const enqueue = jobSender(services, tx, held);
      let citizen = input.citizen ? await resolveCitizen(tx, phones, input.citizen) : null;
      // A complaint taken on a call is the caller's, even when the agent did not type the number.
      if (!citizen && input.callId) {
        const [call] = await tx.select({ citizenId: calls.citizenId }).from(calls).where(eq(calls.id, input.callId));
        if (call?.citizenId) [citizen] = await tx.select().from(citizens).where(eq(citizens.id, call.citizenId));
      }
      if (input.photos?.length) {
        const found = await tx.select({ id: uploads.id }).from(uploads).where(inArray(uploads.id, input.photos));
        if (found.length !== new Set(input.photos).size) throw invalidRequest('photos: 包含不存在的图片');
      }

      // Reports that could be duplicates of each other decide "new case or duplicate" one at a time,
      // so two reports of one pothole make one case.
      const radius = minor?.duplicateRadiusM ?? config.DUPLICATE_RADIUS_M;
      // All the cells' locks in one statement, taken in the keys' (sorted) order.
      const keys = minor && point ? duplicateLockKeys(minor.code, point.lat, point.lng, radius) : [];
      const locked = keys.length ? runStatement(tx, { text: cellLocksText(keys.length), values: keys }) : null;
      // The search is sent right behind the locks, without waiting for them (both are sent when called,
      // in this order; on PostgreSQL in one round trip): the server runs it after the locks are held, and
      // it sees every case committed before that.
      const found =
        minor && point && !consultation
          ? findNearbyOpenCases(tx, {
              categoryCode: minor.code,
              lat: point.lat,
              lng: point.lng,
              radiusM: radius,
              windowHours: config.DUPLICATE_WINDOW_HOURS,
            })
          : Promise.resolve([]);
      const [, nearby] = await Promise.all([locked, found]);

      if (nearby.length) {
        const target = nearby[0];
        const [report] = await tx
          .insert(reports)
          .values(reportValues(input, text, citizen?.id, classification, target.id, 'duplicate', point))
          .returning();
        const [updated] = await tx
          .update(cases)
          .set({ duplicateCount: sql`${cases.duplicateCount} + 1`, updatedAt: new Date() })
          .where(eq(cases.id, target.id))
          .returning();
        held.write(
          insertStatement(tx, caseEvents, {
            caseId: target.id,
            actorType: 'system',
            action: 'duplicate_attached',
            fromState: target.state,
            toState: target.state,
            note: `重复上报（相距约 ${Math.round(target.distanceM)} 米）`,
            data: { reportId: report.id, channel: input.channel, distanceM: Math.round(target.distanceM) },
          }),
        );
        if (citizen) await enqueue('notify-citizen', registeredNotice(target.id, citizen.id));
        if (input.callId) linkCall(tx, held, input.callId, target.id);
        await held.send(tx, undefined, end);
        return { created: true, duplicate: true, report, case: updated };
      }

      // A case we cannot place goes to triage: no rule can know whose it is.
      const decision =
        (minor || major) && placement.method !== 'none' && !consultation
          ? route(
              await services.rules(tx),
              { minor: minor?.code ?? null, major: major?.code ?? null },
              placement,
              locator,
            )
          : null;
      // A confident 城管 report that we can place and route is registered at once; the rest waits for people.
      const autoRegister =
        !consultation && !needsReview && !!minor && minor.kind !== '非城管' && placement.method !== 'none';
      // The case, its number, its report, its history and its jobs in one statement, so the ids are ours
      // to give; an automatically registered case is inserted at 立案 with both history rows, rather than
      // inserted at 受理 and updated (an update that changes the state writes an entry in each of the case's
      // indexes and its search vector again).
      const routed = routedFields(decision, urgency);
      // The statement that opens the case (and takes the day's number, whose counter row it holds to the
      // commit) ends the transaction, unless an answer or an automatic dispatch follows it.
      const dispatchNow = autoRegister && config.AUTO_DISPATCH && routed.departmentId !== null;
      const lastStatement = !consultation && !dispatchNow;
      const caseId = randomUUID();
      const reportId = randomUUID();
      const actorType = input.staffId ? 'staff' : input.citizen ? 'citizen' : 'system';
      const received: typeof caseEvents.$inferInsert = {
        caseId,
        actorType,
        actorId: input.staffId ?? citizen?.id ?? null,
        action: 'received',
        fromState: null,
        toState: '受理',
        note: `${channelLabel[input.channel]}受理`,
        attachments: input.photos ?? [],
        data: {
          reportId,
          placement: placement.method,
          routingRuleId: decision?.rule.id ?? null,
          urgency,
          ...(classification?.reviewReasons.length || vague
            ? { reviewReasons: classification?.reviewReasons ?? ['vague'] }
            : {}),
        },
      };
      // One multi-row insert, so the two rows' ids (the history's order) follow the steps.
      held.write(
        autoRegister
          ? insertRowsStatement(tx, caseEvents, [received, registeredEvent(caseId)])
          : insertStatement(tx, caseEvents, received),
      );
      const numbering = caseNumbering();
      const caseInsert = insertStatement(
        tx,
        cases,
        {
          id: caseId,
          caseNo: numbering.day,
          state: autoRegister ? '立案' : '受理',
          // The version a case has after one transition.
          version: autoRegister ? 2 : 1,
          channel: input.channel,
          kind: minor?.kind ?? major?.kind ?? classification?.kind ?? null,
          categoryCode: minor?.code ?? null,
          majorCode: major?.code ?? null,
          title: titleOf(text, minor?.name ?? null, placement.names),
          description: text,
          lat: point?.lat ?? null,
          lng: point?.lng ?? null,
          address: input.address ?? (placement.names.length ? placement.names.join('') : null),
          gridId: placement.gridId,
          communityId: placement.communityId,
          streetId: placement.streetId,
          districtId: placement.districtId,
          ...routed,
          reporterId: citizen?.id ?? null,
          reporterName: input.reporterName ?? citizen?.name ?? null,
          confidence: classification?.confidence ?? null,
          needsReview,
          transferAgency:
            minor?.agency ?? (classification?.kind === '非城管' ? (classification.transfer?.agency ?? null) : null),
        },
        true,
        { caseNo: numbering.expression },
      );
      const reportInsert = insertStatement(
        tx,
        reports,
        { id: reportId, ...reportValues(input, text, citizen?.id, classification, caseId, 'opened', point) },
        true,
      );
      // The citizen's 受理 notice is the intake's only follow-up job. The 立案 of an automatic registration
      // sends no `case-transitioned` (no reaction acts on a 立案; a dispatch below sends its own).
      if (citizen) await enqueue('notify-citizen', registeredNotice(caseId, citizen.id));
      // The agent's complaint form names the call it came from: the call shows on the case.
      if (input.callId) linkCall(tx, held, input.callId, caseId);
      await announceCaseChange(tx, caseId, held);
      const [opened] = await held.send<{ c: Record<string, unknown>; r: Record<string, unknown> }>(
        tx,
        {
          ctes: [numbering.cte, joinStatements(['c as (', caseInsert, '), r as (', reportInsert, ')'])],
          statement: { text: 'select row_to_json(c) as c, row_to_json(r) as r from c, r', values: [] },
        },
        lastStatement ? end : undefined,
      );
      const report = rowFromJson(reports, opened.r);
      let current: CaseRow = rowFromJson(cases, opened.c);
      if (consultation) {
        current = await applyTransition(
          services,
          tx,
          current,
          {
            action: 'answer',
            actor: { kind: input.staffId ? 'agent' : 'system', id: input.staffId },
            note: consultation.answer,
            data: consultation.knowledgeId ? { knowledgeId: consultation.knowledgeId } : undefined,
          },
          held,
        );
        // Answered and closed, but a case all the same: the citizen is told its number.
        if (!held.empty) await held.send(tx);
        return { created: true, duplicate: false, report, case: current };
      }
      if (dispatchNow) {
        current = await applyTransition(services, tx, current, {
          action: 'dispatch',
          actor: { kind: 'system' },
          note: '按指挥手册自动派遣',
        });
      }
      return { created: true, duplicate: false, report, case: current };
    };
    return await transaction(database, open, { releaseBeforeFlush: true });
  } catch (err) {
    if (isUniqueViolation(err, 'idempotency_key')) {
      const raced = await existing(database.db, input.idempotencyKey);
      if (raced) return sameOrConflict(raced, text);
    }
    throw err;
  }
}

function sameOrConflict(prior: { report: ReportRow; case: CaseRow }, text: string): IntakeResult {
  if (prior.report.text !== text) {
    throw conflict('idempotency_mismatch', '该幂等键已用于另一条不同内容的上报');
  }
  return {
    created: false,
    duplicate: prior.report.disposition === 'duplicate',
    report: prior.report,
    case: prior.case,
  };
}

export const channelLabel: Record<ReportChannel, string> = {
  hotline: '热线电话',
  miniprogram: '微信小程序',
  wechat: '微信对话',
  agent: '坐席',
  open311: 'Open311 接口',
};

/** The 立案 of an automatic registration, as the register transition writes it (transitions.ts). */
function registeredEvent(caseId: string): typeof caseEvents.$inferInsert {
  return {
    caseId,
    actorType: 'system',
    actorId: null,
    action: 'register',
    fromState: '受理',
    toState: '立案',
    note: '自动立案',
    attachments: [],
    data: null,
  };
}

function reportValues(
  input: IntakeInput,
  text: string,
  citizenId: string | undefined,
  classification: Classification | null,
  caseId: string,
  disposition: 'opened' | 'duplicate',
  point: { lat: number; lng: number } | null,
) {
  return {
    channel: input.channel,
    citizenId: citizenId ?? null,
    staffId: input.staffId ?? null,
    text,
    photos: input.photos ?? [],
    lat: point?.lat ?? null,
    lng: point?.lng ?? null,
    address: input.address ?? null,
    raw: input.raw ?? null,
    idempotencyKey: input.idempotencyKey,
    // What the classifier decided, without the entities (phones and places found in the text).
    classification: classification ? decisionOf(classification) : null,
    caseId,
    disposition,
    callId: input.callId ?? null,
  };
}

/** A call links to every case filed during it; `calls.caseId` keeps the latest, for older readers. */
function linkCall(tx: DbOrTx, held: HeldWrites, callId: string, caseId: string): void {
  // Only a call we have a record of: a stale or made-up call id links nothing.
  held.write(
    sql`insert into call_cases (call_id, case_id) select id, ${caseId} from calls where id = ${callId} on conflict do nothing`,
  );
  held.write(tx.update(calls).set({ caseId }).where(eq(calls.id, callId)));
}
