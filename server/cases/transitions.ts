import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { insertStatement, joinStatements, runStatement, updateStatement } from '../db/statementText.js';
import { rowFromJson } from '../db/jsonRows.js';
import { caseEvents, cases, departments, deliveries } from '../db/schema.js';
import { AppError, forbidden, illegalTransition, invalidRequest, staleVersion, unprocessable } from '../errors.js';
import { actions, type ActorKind, type CaseAction, type CaseState } from './lifecycle.js';
import { checkTransition } from '../auth/policy.js';
import { deadlineFrom } from './calendar.js';
import { DEFAULT_DEADLINE_HOURS } from './urgency.js';
import { mergeCase } from './merge.js';
import { announceCaseChange } from './changes.js';
import { caseColumns, type CaseRow, type DepartmentRow } from '../db/rows.js';
import type { HeldWrites } from '../db/heldWrites.js';
import type { JobPayloads, QueueName } from '../jobs/queues.js';
import { isSatisfied } from '../surveys/vocabulary.js';

export interface TransitionActor {
  kind: ActorKind;
  id?: string;
  departmentId?: number | null;
}

export interface TransitionInput {
  action: CaseAction;
  actor: TransitionActor;
  note?: string | null;
  attachments?: string[];
  /** The version the actor saw; absent for system steps inside the same transaction. */
  expectedVersion?: number;
  departmentId?: number;
  hours?: number;
  agency?: string;
  /** 并案: the case this one is merged into. */
  mergeInto?: string;
  data?: Record<string, unknown>;
}

const actorType = (k: ActorKind) =>
  k === 'system' ? 'system' : k === 'citizen' ? 'citizen' : k === 'external' ? 'department' : 'staff';

/**
 * Moves a case one step, inside the caller's transaction: the rule check, the
 * guarded update (optimistic: the row must still have the version we read),
 * the history row and the follow-up jobs commit or fail together. With `held`,
 * the jobs and the NOTIFY wait for the caller's next held send (db/heldWrites.ts).
 */
export async function applyTransition(
  services: Services,
  tx: DbOrTx,
  kase: CaseRow,
  input: TransitionInput,
  held?: HeldWrites,
): Promise<CaseRow> {
  const { action, actor } = input;
  const from = kase.state as CaseState;
  if (input.expectedVersion != null && input.expectedVersion !== kase.version) throw staleVersion();
  const check = checkTransition(from, action, actor.kind, input.note, { departmentId: actor.departmentId, kase });
  if (!check.ok) {
    if (check.reason === 'illegal') throw illegalTransition(from, actions[action].label);
    if (check.reason === 'forbidden') throw forbidden(`当前角色不能执行「${actions[action].label}」`);
    if (check.reason === 'out_of_scope') throw forbidden('只能处理派给本部门的案件');
    throw invalidRequest(`note: 「${actions[action].label}」需要填写说明`);
  }

  const now = new Date();
  const patch: PgUpdateSetSource<typeof cases> = {
    state: check.to,
    updatedAt: now,
    version: sql`${cases.version} + 1`,
  };
  const data: Record<string, unknown> = { ...(input.data ?? {}) };
  /** The department row a dispatch already read, so forwarding need not read it again. */
  let dispatchedTo: DepartmentRow | undefined;

  switch (action) {
    case 'register':
      patch.needsReview = false;
      break;
    case 'transfer': {
      const agency = input.agency ?? kase.transferAgency;
      if (!agency) throw invalidRequest('agency: 请填写转办单位');
      patch.transferAgency = agency;
      patch.closedAt = now;
      data.agency = agency;
      break;
    }
    case 'dispatch': {
      const departmentId = input.departmentId ?? kase.departmentId;
      if (!departmentId) throw unprocessable('no_department', '指挥手册中没有匹配的部门，请手动选择处置部门');
      const [dept] = await tx.select().from(departments).where(eq(departments.id, departmentId));
      if (!dept || !dept.active) throw unprocessable('unknown_department', '处置部门不存在或已停用');
      patch.departmentId = departmentId;
      patch.dispatchedAt = now;
      Object.assign(patch, freshDeadline(services, kase, now));
      data.departmentId = departmentId;
      data.departmentName = dept.name;
      dispatchedTo = dept;
      break;
    }
    case 'return':
      data.returnedBy = kase.departmentId;
      patch.urgedAt = null;
      patch.departmentId = null;
      patch.deadlineAt = null;
      patch.dispatchedAt = null;
      break;
    case 'resolve':
      patch.resolvedAt = now;
      patch.urgedAt = null;
      break;
    case 'answer':
      patch.kind = '咨询';
      patch.needsReview = false;
      patch.closedAt = now;
      data.answer = input.note;
      break;
    case 'urge':
      patch.urgeCount = sql`${cases.urgeCount} + 1`;
      patch.urgedAt = now;
      data.departmentId = kase.departmentId;
      break;
    case 'merge': {
      const target = await mergeCase(tx, kase, input.mergeInto, actor.id ?? null);
      patch.mergedInto = target.id;
      patch.closedAt = now;
      data.mergedInto = target.id;
      data.mergedIntoCaseNo = target.caseNo;
      break;
    }
    case 'request_extension': {
      if (!input.hours || input.hours <= 0 || input.hours > 24 * 30)
        throw invalidRequest('hours: 延期时长须在 1 到 720 小时之间');
      if (kase.pendingExtension) throw new AppError(409, 'extension_pending', '已有待审批的延期申请');
      patch.pendingExtension = {
        hours: input.hours,
        note: input.note!,
        by: actor.id ?? 'external',
        at: now.toISOString(),
      };
      data.hours = input.hours;
      break;
    }
    case 'approve_extension': {
      const pending = kase.pendingExtension;
      if (!pending) throw new AppError(409, 'no_extension_pending', '没有待审批的延期申请');
      patch.deadlineAt = deadlineFrom(kase.deadlineAt ?? now, pending.hours, kase.deadlineType, services.calendar);
      patch.pendingExtension = null;
      patch.extensionCount = sql`${cases.extensionCount} + 1`;
      patch.deadlineStatus = '正常';
      data.hours = pending.hours;
      data.newDeadline = patch.deadlineAt!.toISOString();
      break;
    }
    case 'refuse_extension':
      if (!kase.pendingExtension) throw new AppError(409, 'no_extension_pending', '没有待审批的延期申请');
      patch.pendingExtension = null;
      break;
    case 'rework':
      if (kase.kind === '咨询') throw new AppError(409, 'consultation_closed', '咨询已当场答复办结，不能返工');
      patch.reworkCount = sql`${cases.reworkCount} + 1`;
      patch.surveyResult = null;
      patch.resolvedAt = null;
      patch.closedAt = null;
      // The department gets the 指挥手册's full time limit again, counted from the 返工.
      const fresh = freshDeadline(services, kase, now);
      Object.assign(patch, fresh);
      data.newDeadline = fresh.deadlineAt.toISOString();
      break;
    case 'close': {
      const override = !isSatisfied(kase.surveyResult);
      if (override) {
        if (actor.kind === 'system') throw new AppError(409, 'survey_required', '回访结果为满意或基本满意后才能结案');
        if (!input.note?.trim()) throw new AppError(409, 'survey_required', '没有满意的回访结果，强制结案须填写理由');
        data.override = true;
      }
      patch.closedAt = now;
      break;
    }
    default:
      break;
  }

  // The guarded update and its history row in one round trip. The history row is written even when
  // the update finds the case moved on; the stale_version thrown then rolls the whole transaction back.
  const update = updateStatement(tx, cases, patch, { id: kase.id, version: kase.version });
  const history = insertStatement(
    tx,
    caseEvents,
    {
      caseId: kase.id,
      actorType: actorType(actor.kind),
      actorId: actor.id ?? null,
      action,
      fromState: from,
      toState: check.to,
      note: input.note ?? null,
      attachments: input.attachments ?? [],
      data: Object.keys(data).length ? data : null,
    },
    true,
  );
  const [step] = await runStatement<{ u: Record<string, unknown> | null; e: string | number }>(
    tx,
    joinStatements([
      'with u as (',
      update,
      '), e as (',
      history,
      ') select (select row_to_json(u) from u) as u, e.id as e from e',
    ]),
  );
  // Someone else moved the case between our read and this write.
  if (!step.u) throw staleVersion();
  const updated = rowFromJson(cases, step.u);
  const event = { id: Number(step.e) };

  const enqueue = jobSender(services, tx, held);
  await enqueue('case-transitioned', {
    caseId: kase.id,
    action,
    from,
    to: check.to,
    eventId: event.id,
  });
  // Reaching 回访 opens a round of surveys, in the same transaction (a leader-only job: the
  // channels that can reach the citizen depend on the PBX and the chat bot).
  if (check.to === '回访' && from !== '回访') await enqueue('open-survey-round', { caseId: kase.id });
  await announceCaseChange(tx, kase.id, held);
  // A department's system hears of a case from its dispatch on, and of every later step it did not take itself.
  const forwardTo = actor.kind === 'external' || !updated.dispatchedAt ? null : updated.departmentId;
  if (forwardTo != null) await queueDelivery(services, tx, updated, forwardTo, action, event.id, dispatchedTo, enqueue);

  // 已处置 goes to the supervisors' 核查 at once; nobody has to push it there.
  if (action === 'resolve') {
    return applyTransition(
      services,
      tx,
      updated,
      { action: 'submit_check', actor: { kind: 'system' }, note: '处置完毕，待核查' },
      held,
    );
  }
  return updated;
}

/** The 指挥手册's whole time limit for the case, counted from now: at 派遣, and again after 返工. */
function freshDeadline(services: Services, kase: CaseRow, now: Date) {
  return {
    deadlineAt: deadlineFrom(now, kase.deadlineHours ?? DEFAULT_DEADLINE_HOURS, kase.deadlineType, services.calendar),
    deadlineStatus: '正常' as const,
  };
}

type SendJob = <Q extends QueueName>(queue: Q, data: JobPayloads[Q]) => Promise<unknown>;

/** Sends a job in the transaction now, or holds it for the caller's next held send. */
export function jobSender(services: Services, tx: DbOrTx, held?: HeldWrites): SendJob {
  return async (queue, data) => {
    if (!services.jobs) return;
    if (held) services.jobs.hold(held, queue, data);
    else await services.jobs.enqueue(tx, queue, data);
  };
}

/** Forwarding to a department's external system: a row and a job, in the same transaction as the change. */
async function queueDelivery(
  services: Services,
  tx: DbOrTx,
  kase: CaseRow,
  departmentId: number,
  action: string,
  eventId: number,
  known: DepartmentRow | undefined,
  enqueue: SendJob,
) {
  const [dept] = known ? [known] : await tx.select().from(departments).where(eq(departments.id, departmentId));
  if (!dept || dept.delivery !== 'webhook' || !dept.webhookUrl) return;
  const idempotencyKey = `${kase.id}:${eventId}`;
  const [delivery] = await tx
    .insert(deliveries)
    .values({
      caseId: kase.id,
      departmentId,
      event: action,
      idempotencyKey,
      payload: {
        event: action,
        eventId,
        case: {
          id: kase.id,
          caseNo: kase.caseNo,
          state: kase.state,
          categoryCode: kase.categoryCode,
          title: kase.title,
          description: kase.description,
          address: kase.address,
          lat: kase.lat,
          lng: kase.lng,
          priority: kase.priority,
          deadlineAt: kase.deadlineAt?.toISOString() ?? null,
          version: kase.version,
        },
      },
    })
    .onConflictDoNothing()
    .returning({ id: deliveries.id });
  if (delivery) await enqueue('deliver-to-department', { deliveryId: delivery.id });
}

/** A staff member's or a department system's step, in a transaction of its own. */
export function transitionCase(services: Services, kase: CaseRow, input: TransitionInput): Promise<CaseRow> {
  return services.database.db.transaction((tx) => applyTransition(services, tx, kase, input));
}

export async function loadCase(db: DbOrTx, id: string, forUpdate = false): Promise<CaseRow | undefined> {
  const q = db.select(caseColumns).from(cases).where(eq(cases.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row;
}
