import type { StaffRole } from '../db/schema.js';
import { forbidden } from '../errors.js';

export interface Actor {
  id: string;
  username: string;
  role: StaffRole;
  departmentId: number | null;
}

/** What each role may do. Lifecycle rules (which role moves which state) live with the lifecycle. */
const grants: Record<StaffRole, readonly string[]> = {
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
  supervisor: [
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
  ],
  department: ['case.read', 'case.transition'],
  admin: ['*'],
};

export interface Resource {
  departmentId?: number | null;
}

export function can(actor: Actor, action: string, resource?: Resource): boolean {
  const allowed = grants[actor.role];
  if (!allowed.includes('*') && !allowed.includes(action)) return false;
  // Department staff see and act on their own department's cases only.
  if (actor.role === 'department' && resource && 'departmentId' in resource) {
    return resource.departmentId != null && resource.departmentId === actor.departmentId;
  }
  return true;
}

export function authorize(actor: Actor | undefined, action: string, resource?: Resource): asserts actor is Actor {
  if (!actor || !can(actor, action, resource)) throw forbidden();
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

/**
 * A citizen's own case: they are its reporter, or filed one of its reports (a duplicate attached
 * to it). Anyone else's case answers 404 in the citizen's API, as if it did not exist.
 */
export function citizenOwnsCase(citizenId: string, kase: { reporterId: string | null }, filedReport: boolean): boolean {
  return kase.reporterId === citizenId || filedReport;
}
