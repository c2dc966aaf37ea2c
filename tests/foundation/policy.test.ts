import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  authorize,
  can,
  canSeeFile,
  caseListScope,
  checkTransition,
  citizenOwnsCase,
  inDepartmentScope,
  mayReadCase,
  mayTakeStep,
  offeredActions,
  staffActions,
  type Actor,
} from '../../server/auth/policy.js';
import { AppError } from '../../server/errors.js';

const actor = (role: Actor['role'], departmentId: number | null = null): Actor => ({
  id: `${role}-1`,
  username: role,
  role,
  departmentId,
});
const agent = actor('agent');
const supervisor = actor('supervisor');
const admin = actor('admin');
const roads = actor('department', 7);
const homeless = actor('department', null);

const kase = (over: Partial<Parameters<typeof offeredActions>[1]> = {}) => ({
  state: '派遣',
  departmentId: 7,
  duplicateCount: 0,
  pendingExtension: null,
  kind: null,
  ...over,
});

describe('the one policy', () => {
  it('grants: each role may do what it was granted and nothing else; admin everything', () => {
    expect(can(agent, 'report.create')).toBe(true);
    expect(can(agent, 'stats.read')).toBe(false);
    expect(can(agent, 'case.split')).toBe(false);
    expect(can(supervisor, 'case.split')).toBe(true);
    expect(can(supervisor, 'staff.manage')).toBe(false);
    expect(can(roads, 'case.read')).toBe(true);
    expect(can(roads, 'report.create')).toBe(false);
    for (const a of staffActions) expect(can(admin, a)).toBe(true);
    expect(() => authorize(agent, 'staff.manage')).toThrowError(AppError);
    expect(() => authorize(undefined, 'case.read')).toThrowError(AppError);
    expect(() => authorize(admin, 'staff.manage')).not.toThrow();
  });

  it("the lifecycle's table: who may take which step, from which state, with a note when one is needed", () => {
    expect(mayTakeStep('department', 'accept')).toBe(true);
    expect(mayTakeStep('agent', 'accept')).toBe(false);
    expect(mayTakeStep('external', 'resolve')).toBe(true);
    expect(mayTakeStep('citizen', 'close')).toBe(false);
    expect(checkTransition('派遣', 'accept', 'department')).toEqual({ ok: true, to: '处置中' });
    expect(checkTransition('受理', 'accept', 'department')).toEqual({ ok: false, reason: 'illegal' });
    expect(checkTransition('派遣', 'accept', 'agent')).toEqual({ ok: false, reason: 'forbidden' });
    expect(checkTransition('派遣', 'return', 'department', ' ')).toEqual({ ok: false, reason: 'note_required' });
  });

  it('department scope: department staff and systems act on their own department’s cases only', () => {
    const mine = { departmentId: 7, kase: { departmentId: 7 } };
    const theirs = { departmentId: 7, kase: { departmentId: 8 } };
    expect(checkTransition('派遣', 'accept', 'department', null, mine)).toEqual({ ok: true, to: '处置中' });
    expect(checkTransition('派遣', 'accept', 'department', null, theirs)).toEqual({
      ok: false,
      reason: 'out_of_scope',
    });
    expect(checkTransition('派遣', 'accept', 'external', null, theirs)).toEqual({ ok: false, reason: 'out_of_scope' });
    expect(checkTransition('派遣', 'accept', 'supervisor', null, theirs)).toEqual({ ok: true, to: '处置中' });
    // A note still comes first, as it did before the scope moved here.
    expect(checkTransition('派遣', 'return', 'department', '', theirs)).toEqual({ ok: false, reason: 'note_required' });
    expect(inDepartmentScope('department', 7, { departmentId: null })).toBe(false);
    expect(inDepartmentScope('admin', null, { departmentId: 8 })).toBe(true);

    expect(mayReadCase(roads, { departmentId: 7 })).toBe(true);
    expect(mayReadCase(roads, { departmentId: 8 })).toBe(false);
    expect(mayReadCase(roads, { departmentId: null })).toBe(false);
    expect(mayReadCase(homeless, { departmentId: 7 })).toBe(false);
    expect(mayReadCase(agent, { departmentId: 8 })).toBe(true);
    expect(can(roads, 'case.read', { departmentId: 8 })).toBe(false);

    expect(caseListScope(roads)).toBe(7);
    expect(caseListScope(homeless)).toBe(-1);
    expect(caseListScope(supervisor)).toBeUndefined();
  });

  it("the console's buttons: the lifecycle's steps for the role, none out of scope, 拆分 for an open merged case", () => {
    expect(offeredActions(roads, kase())).toEqual(['accept', 'return', 'request_extension']);
    expect(offeredActions(roads, kase({ departmentId: 8 }))).toEqual([]);
    expect(offeredActions(agent, kase())).toEqual([]);
    expect(offeredActions(supervisor, kase({ state: '立案', duplicateCount: 1 }))).toContain('split');
    expect(offeredActions(agent, kase({ state: '受理', duplicateCount: 1 }))).not.toContain('split');
    expect(offeredActions(supervisor, kase({ state: '结案', duplicateCount: 1 }))).toEqual(['rework']);
    expect(offeredActions(supervisor, kase({ state: '结案', kind: '咨询' }))).toEqual([]);
    expect(allowedActions('派遣', 'supervisor', { pendingExtension: true })).toContain('approve_extension');
    expect(allowedActions('派遣', 'supervisor')).not.toContain('approve_extension');
    expect(allowedActions('派遣', 'department', { pendingExtension: true })).not.toContain('request_extension');
  });

  it("a citizen's own case: theirs as reporter or by a report they filed, nobody else's", () => {
    expect(citizenOwnsCase('c1', { reporterId: 'c1' }, false)).toBe(true);
    expect(citizenOwnsCase('c1', { reporterId: 'c2' }, true)).toBe(true);
    expect(citizenOwnsCase('c1', { reporterId: 'c2' }, false)).toBe(false);
    expect(citizenOwnsCase('c1', { reporterId: null }, false)).toBe(false);
  });

  it('photos: the uploader, whoever may read a case it is in, and chat handlers for the rest', () => {
    expect(canSeeFile(roads, { uploadedBy: roads.id, cases: [{ departmentId: 8 }] })).toBe(true);
    expect(canSeeFile(roads, { uploadedBy: null, cases: [{ departmentId: 8 }] })).toBe(false);
    expect(canSeeFile(roads, { uploadedBy: null, cases: [{ departmentId: 8 }, { departmentId: 7 }] })).toBe(true);
    expect(canSeeFile(roads, { uploadedBy: null, cases: [] })).toBe(false);
    expect(canSeeFile(agent, { uploadedBy: null, cases: [] })).toBe(true);
  });
});
