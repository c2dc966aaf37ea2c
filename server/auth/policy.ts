import type { StaffRole } from '../db/schema.js';
import { forbidden } from '../errors.js';
import {
  actions,
  caseActions,
  openStates,
  type ActorKind,
  type CaseAction,
  type CaseState,
} from '../cases/lifecycle.js';

/**
 * Every permission decision in one place: what each staff role may do (the grants below), which
 * role may take which step of a case (the lifecycle's table, `by`), department scope (department
 * staff and systems act on their own department's cases only), a citizen's own cases, and what
 * the console offers. Routes and commands ask here; none decides on its own.
 */
export interface Actor {
  id: string;
  username: string;
  role: StaffRole;
  departmentId: number | null;
}

/** What the supervisors may do: all of the hotline's daily work. */
const supervisorActions = [
  'report.create',
  'case.read',
  'case.transition',
  'case.split',
  'review.work',
  'citizen.read',
  'citizen.unmask',
  'call.read',
  'survey.record',
  'survey.callback_call',
  'survey.override',
  'stats.read',
  'delivery.retry',
  'department.read',
  'rules.read',
  'chat.handle',
] as const;

/** What a staff member may be allowed to do, beyond the lifecycle's steps: the daily work and administration. */
export const staffActions = [
  ...supervisorActions,
  'department.manage',
  'rules.edit',
  'staff.manage',
  'knowledge.manage',
] as const;
export type StaffAction = (typeof staffActions)[number];

/** What each role may do. Which role moves which state is the lifecycle's `by`, read by mayTakeStep. */
const grants: Record<StaffRole, readonly StaffAction[] | '*'> = {
  agent: [
    'report.create',
    'case.read',
    'case.transition',
    'review.work',
    'citizen.read',
    'citizen.unmask',
    'call.read',
    'survey.record',
    'survey.callback_call',
    'chat.handle',
  ],
  supervisor: supervisorActions,
  department: ['case.read', 'case.transition'],
  admin: '*',
};

export interface Resource {
  departmentId?: number | null;
}

export function can(actor: Actor, action: StaffAction, resource?: Resource): boolean {
  const allowed = grants[actor.role];
  if (allowed !== '*' && !allowed.includes(action)) return false;
  if (resource && 'departmentId' in resource) return inDepartmentScope(actor.role, actor.departmentId, resource);
  return true;
}

export function authorize(actor: Actor | undefined, action: StaffAction, resource?: Resource): asserts actor is Actor {
  if (!actor || !can(actor, action, resource)) throw forbidden();
}

/**
 * Department scope: department staff, and a department's own system (webhooks), act on the cases
 * dispatched to their department only; everyone else is not bound to a department.
 */
export function inDepartmentScope(
  kind: ActorKind,
  departmentId: number | null | undefined,
  kase: { departmentId?: number | null },
): boolean {
  if (kind !== 'department' && kind !== 'external') return true;
  return kase.departmentId != null && kase.departmentId === departmentId;
}

/**
 * The department a list of cases must be narrowed to for this staff member (-1, matching none,
 * for department staff with no department), or undefined for every case.
 */
export function caseListScope(actor: Pick<Actor, 'role' | 'departmentId'>): number | undefined {
  return actor.role === 'department' ? (actor.departmentId ?? -1) : undefined;
}

/** Whether the staff member may see this case at all (a case out of scope answers 404). */
export function mayReadCase(actor: Actor, kase: { departmentId: number | null }): boolean {
  return can(actor, 'case.read', { departmentId: kase.departmentId });
}

/** Whether the lifecycle's table lets this kind of actor take this step (whatever the state). */
export function mayTakeStep(by: ActorKind, action: CaseAction): boolean {
  return (actions[action].by as readonly ActorKind[]).includes(by);
}

export type TransitionCheck =
  { ok: true; to: CaseState } | { ok: false; reason: 'illegal' | 'forbidden' | 'out_of_scope' | 'note_required' };

/** Whether a step may be taken: legal from the state, by this actor, on a case in their scope, with its note. */
export function checkTransition(
  state: CaseState,
  action: CaseAction,
  by: ActorKind,
  note?: string | null,
  scope?: { departmentId: number | null | undefined; kase: { departmentId: number | null } },
): TransitionCheck {
  const rule = actions[action] as { from: readonly CaseState[]; to?: CaseState; needsNote?: boolean };
  if (!rule.from.includes(state)) return { ok: false, reason: 'illegal' };
  if (!mayTakeStep(by, action)) return { ok: false, reason: 'forbidden' };
  if (rule.needsNote && !note?.trim()) return { ok: false, reason: 'note_required' };
  if (scope && !inDepartmentScope(by, scope.departmentId, scope.kase)) return { ok: false, reason: 'out_of_scope' };
  return { ok: true, to: rule.to ?? state };
}

/** What beyond its state decides whether an action makes sense on a case. */
export interface CaseFacts {
  pendingExtension?: boolean;
  /** A 咨询 answered on the spot: closed for good, nothing to rework. */
  consultation?: boolean;
}

/** What allowedActions needs to know about a case beyond its state. */
export const factsOf = (c: { pendingExtension: unknown; kind: string | null }): CaseFacts => ({
  pendingExtension: !!c.pendingExtension,
  consultation: c.kind === '咨询',
});

/** Steps that answer a request: offered only while one is pending, and a new request only while none is. */
const needsPending: readonly CaseAction[] = ['approve_extension', 'refuse_extension'];

/** The lifecycle steps this kind of actor may take on a case in this state. */
export function allowedActions(state: CaseState, by: ActorKind, facts: CaseFacts = {}): CaseAction[] {
  return caseActions.filter((a) => {
    if (!(actions[a].from as readonly CaseState[]).includes(state) || !mayTakeStep(by, a)) return false;
    if (needsPending.includes(a)) return !!facts.pendingExtension;
    if (a === 'request_extension') return !facts.pendingExtension;
    if (a === 'rework') return !facts.consultation;
    return true;
  });
}

/** A step the console may offer: a lifecycle step, or 拆分 (split off a merged report). */
export type OfferedStep = CaseAction | 'split';

type OfferedCase = {
  state: string;
  departmentId: number | null;
  duplicateCount: number;
  pendingExtension: unknown;
  kind: string | null;
};

/**
 * The buttons the console shows this staff member on a case: none on a case outside their
 * department, else the lifecycle's steps, and 拆分 when an open case has a merged report.
 */
export function offeredActions(actor: Actor, kase: OfferedCase): OfferedStep[] {
  if (!inDepartmentScope(actor.role, actor.departmentId, kase)) return [];
  const steps: OfferedStep[] = allowedActions(kase.state as CaseState, actor.role, factsOf(kase));
  if (kase.duplicateCount > 0 && openStates.includes(kase.state as CaseState) && can(actor, 'case.split')) {
    steps.push('split');
  }
  return steps;
}

/**
 * A citizen's own case: they are its reporter, or filed one of its reports (a duplicate attached
 * to it). Anyone else's case answers 404 in the citizen's API, as if it did not exist.
 */
export function citizenOwnsCase(citizenId: string, kase: { reporterId: string | null }, filedReport: boolean): boolean {
  return kase.reporterId === citizenId || filedReport;
}

/** A photo the citizen uploaded: theirs to see again without a signed link. */
export function citizenOwnsUpload(citizenId: string, upload: { ownerType: string; ownerId: string | null }): boolean {
  return upload.ownerType === 'citizen' && upload.ownerId === citizenId;
}

/**
 * A stored photo: its uploader, or whoever may read a case it belongs to; a photo in no case yet
 * (sent in a chat, say) to those who handle the chats.
 */
export function canSeeFile(actor: Actor, file: { uploadedBy: string | null; cases: Resource[] }): boolean {
  if (file.uploadedBy === actor.id) return true;
  if (file.cases.length) return file.cases.some((c) => can(actor, 'case.read', c));
  return can(actor, 'chat.handle');
}
