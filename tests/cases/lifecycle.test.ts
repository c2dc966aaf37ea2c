import { describe, expect, it } from 'vitest';
import { actions, caseActions, caseStates, type ActorKind } from '../../server/cases/lifecycle.js';
import { allowedActions, checkTransition } from '../../server/auth/policy.js';

const kinds: ActorKind[] = ['agent', 'supervisor', 'department', 'admin', 'system', 'citizen', 'external'];

describe('lifecycle table', () => {
  it('allows exactly the listed state, role and note combinations, and refuses every other', () => {
    let legal = 0;
    let illegal = 0;
    for (const state of caseStates) {
      for (const action of caseActions) {
        for (const by of kinds) {
          const rule = actions[action] as {
            from: readonly string[];
            by: readonly string[];
            to?: string;
            needsNote?: boolean;
          };
          const r = checkTransition(state, action, by, 'a note');
          if (!rule.from.includes(state)) {
            expect(r).toEqual({ ok: false, reason: 'illegal' });
            illegal++;
          } else if (!rule.by.includes(by)) {
            expect(r).toEqual({ ok: false, reason: 'forbidden' });
            illegal++;
          } else {
            expect(r).toEqual({ ok: true, to: rule.to ?? state });
            legal++;
            if (rule.needsNote)
              expect(checkTransition(state, action, by, '  ')).toEqual({ ok: false, reason: 'note_required' });
          }
        }
      }
    }
    expect(legal).toBeGreaterThan(40);
    expect(illegal).toBeGreaterThan(1000);
  });

  it('follows the 城管 flow 受理 → 立案 → 派遣 → 处置中 → 已处置 → 核查 → 回访 → 结案', () => {
    const path: Array<[string, string, ActorKind, string]> = [
      ['受理', 'register', 'agent', '立案'],
      ['立案', 'dispatch', 'supervisor', '派遣'],
      ['派遣', 'accept', 'department', '处置中'],
      ['处置中', 'resolve', 'department', '已处置'],
      ['已处置', 'submit_check', 'system', '核查'],
      ['核查', 'check_pass', 'supervisor', '回访'],
      ['回访', 'close', 'system', '结案'],
    ];
    for (const [from, action, by, to] of path) {
      expect(checkTransition(from as any, action as any, by, 'n')).toEqual({ ok: true, to });
    }
  });

  it('offers each role only what it may do', () => {
    expect(allowedActions('派遣', 'department')).toEqual(['accept', 'return', 'request_extension']);
    expect(allowedActions('派遣', 'agent')).toEqual([]);
    expect(allowedActions('核查', 'supervisor')).toEqual(['check_pass', 'check_fail']);
    expect(allowedActions('结案', 'supervisor')).toEqual(['rework']);
    expect(allowedActions('受理', 'agent')).toEqual(['register', 'reject', 'transfer', 'answer']);
  });
});
