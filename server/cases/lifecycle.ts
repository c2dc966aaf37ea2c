import type { StaffRole } from '../db/schema.js';

export const caseStates = [
  '受理',
  '立案',
  '不予立案',
  '转办',
  '派遣',
  '处置中',
  '已处置',
  '核查',
  '回访',
  '结案',
  '挂账',
  '已并案',
] as const;
export type CaseState = (typeof caseStates)[number];

export type ActorKind = StaffRole | 'system' | 'citizen' | 'external';

export interface ActionRule {
  label: string;
  from: readonly CaseState[];
  /** The state reached; `undefined` keeps the state (e.g. an extension request). */
  to?: CaseState;
  by: readonly ActorKind[];
  needsNote?: boolean;
}

const open: CaseState[] = ['受理', '立案', '派遣', '处置中', '已处置', '核查', '回访', '挂账'];

/**
 * The case lifecycle as one table: which action moves which state, and who may
 * take it. Route handlers, the console's buttons and the tests all read this.
 */
export const actions = {
  register: { label: '立案', from: ['受理'], to: '立案', by: ['agent', 'supervisor', 'admin', 'system'] },
  reject: { label: '不予立案', from: ['受理'], to: '不予立案', by: ['agent', 'supervisor', 'admin'], needsNote: true },
  transfer: { label: '转办', from: ['受理', '立案'], to: '转办', by: ['agent', 'supervisor', 'admin', 'system'] },
  answer: {
    label: '咨询答复',
    from: ['受理'],
    to: '结案',
    by: ['agent', 'supervisor', 'admin'],
    needsNote: true,
  },
  merge: { label: '并案', from: ['受理', '立案'], to: '已并案', by: ['supervisor', 'admin'], needsNote: true },
  dispatch: { label: '派遣', from: ['立案'], to: '派遣', by: ['supervisor', 'admin', 'system'] },
  accept: { label: '签收', from: ['派遣'], to: '处置中', by: ['department', 'supervisor', 'admin', 'external'] },
  return: { label: '回退', from: ['派遣', '处置中'], to: '立案', by: ['department', 'external'], needsNote: true },
  resolve: {
    label: '处置完毕',
    from: ['处置中'],
    to: '已处置',
    by: ['department', 'supervisor', 'admin', 'external'],
    needsNote: true,
  },
  submit_check: { label: '提交核查', from: ['已处置'], to: '核查', by: ['supervisor', 'admin', 'system'] },
  check_pass: { label: '核查通过', from: ['核查'], to: '回访', by: ['supervisor', 'admin'] },
  check_fail: { label: '核查不通过', from: ['核查'], to: '处置中', by: ['supervisor', 'admin'], needsNote: true },
  urge: { label: '催办', from: ['派遣', '处置中'], by: ['supervisor', 'admin'], needsNote: true },
  request_extension: { label: '申请延期', from: ['派遣', '处置中'], by: ['department', 'external'], needsNote: true },
  approve_extension: { label: '批准延期', from: ['派遣', '处置中'], by: ['supervisor', 'admin'] },
  refuse_extension: { label: '驳回延期', from: ['派遣', '处置中'], by: ['supervisor', 'admin'], needsNote: true },
  rework: {
    label: '返工',
    from: ['回访', '结案'],
    to: '处置中',
    by: ['supervisor', 'admin', 'system'],
    needsNote: true,
  },
  park: { label: '挂账', from: ['立案', '派遣', '处置中'], to: '挂账', by: ['supervisor', 'admin'], needsNote: true },
  unpark: { label: '解除挂账', from: ['挂账'], to: '立案', by: ['supervisor', 'admin'] },
  close: { label: '结案', from: ['回访'], to: '结案', by: ['supervisor', 'admin', 'system'] },
} as const satisfies Record<string, ActionRule>;

export type CaseAction = keyof typeof actions;
export const caseActions = Object.keys(actions) as CaseAction[];

export const openStates: readonly CaseState[] = open;
export const finalStates: readonly CaseState[] = ['结案', '不予立案', '转办', '已并案'];
