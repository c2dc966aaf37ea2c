import type { Prompt, PromptPart } from '../pbx/types.js';

/**
 * Every word the hotline says, in one place for review. `id` names the recording
 * (<prompts dir>/<id>.wav on either PBX); `text` is what the recording says and what
 * TTS speaks. Prompts that carry data are recorded in pieces (`parts`): fixed
 * fragments, the case number read digit by digit (digits/0 … digits/9), and one
 * recording per case state. `promptFiles()` lists every file a deployment records.
 */

/** Digits read one by one ("2 0 2 6 ..."), the way numbers are read back on the phone. */
export function spellDigits(digits: string): string {
  return digits.split('').join(' ');
}

const prompt = (id: string, text: string, parts?: PromptPart[]): Prompt => ({ id, text, ...(parts ? { parts } : {}) });

/** The fixed fragments of prompts that carry data. */
const fragments = {
  caseStatusIntro: prompt('case_status_intro', '您查询的案件'),
  caseStatusIs: prompt('case_status_is', '目前的办理状态是'),
  caseNotFoundIntro: prompt('case_not_found_intro', '没有查询到案件'),
  surveyIntro: prompt('survey_intro', '您好，这里是城市管理服务热线，现对您反映的案件'),
  surveyAsk: prompt('survey_ask', '进行回访。对处理结果满意请按1，基本满意请按2，不满意请按3。'),
};

const DIGIT_WORDS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** A case's state (cases.state) as the IVR says it, one recording each. */
export const caseStates: Record<string, Prompt> = {
  受理: prompt('status_accepted', '已受理，正在核实'),
  立案: prompt('status_filed', '已立案，等待派遣'),
  派遣: prompt('status_dispatched', '已派遣到责任部门'),
  处置中: prompt('status_in_progress', '正在处置'),
  已处置: prompt('status_disposed', '已处置，等待核查'),
  核查: prompt('status_checking', '已处置，正在核查'),
  回访: prompt('status_survey', '已处置完毕，我们将回访您'),
  结案: prompt('status_closed', '已结案'),
  不予立案: prompt('status_not_filed', '不属于受理范围，未予立案'),
  转办: prompt('status_referred', '已转交相关部门办理'),
  挂账: prompt('status_long_term', '已纳入长期整改计划'),
};
const otherState = prompt('status_other', '正在办理中');

/** The state's recording; a state with none is said as "in progress" rather than not at all. */
export function caseStatePrompt(state: string): Prompt {
  return caseStates[state] ?? otherState;
}

export const prompts = {
  mainMenu: prompt('main_menu', '您好，这里是城市管理服务热线。反映问题请按1，查询案件办理进度请按2，人工服务请按3。'),
  mainMenuAfterInvalid: prompt(
    'main_menu_invalid',
    '您的输入有误。反映问题请按1，查询案件办理进度请按2，人工服务请按3。',
  ),
  mainMenuAfterTimeout: prompt(
    'main_menu_timeout',
    '没有收到您的按键。反映问题请按1，查询案件办理进度请按2，人工服务请按3。',
  ),
  enterCaseNumber: prompt('enter_case_number', '请输入案件编号，以井号键结束。'),
  caseNumberInvalid: prompt(
    'case_number_invalid',
    '您输入的案件编号格式不正确。案件编号为13位或14位数字，请重新输入，以井号键结束。',
  ),
  caseNumberTimeout: prompt('case_number_timeout', '没有收到您的输入，请输入案件编号，以井号键结束。'),
  /** `state` is the case's state (cases.state); see caseStates. */
  caseStatus: (caseNumber: string, state: string): Prompt => {
    const status = caseStatePrompt(state);
    return prompt('case_status', `您查询的案件${spellDigits(caseNumber)}，目前的办理状态是：${status.text}。`, [
      { file: fragments.caseStatusIntro.id },
      { digits: caseNumber },
      { file: fragments.caseStatusIs.id },
      { file: status.id },
    ]);
  },
  caseNotFound: (caseNumber: string): Prompt =>
    prompt('case_not_found', `没有查询到案件${spellDigits(caseNumber)}。重新输入案件编号请按1，人工服务请按3。`, [
      { file: fragments.caseNotFoundIntro.id },
      { digits: caseNumber },
      { file: 'case_not_found_menu' },
    ]),
  caseNotFoundRetryMenu: prompt('case_not_found_menu', '重新输入案件编号请按1，人工服务请按3。'),
  lookupFailed: prompt('lookup_failed', '系统繁忙，暂时无法查询。'),
  transferToAgent: prompt('transfer_to_agent', '正在为您转接人工服务，请稍候。'),
  tooManyAttempts: prompt('too_many_attempts', '多次未能识别您的输入，正在为您转接人工服务，请稍候。'),
  goodbye: prompt('goodbye', '感谢您的来电，再见。'),

  surveyQuestion: (caseNumber: string): Prompt =>
    prompt('survey_question', `${fragments.surveyIntro.text}${spellDigits(caseNumber)}${fragments.surveyAsk.text}`, [
      { file: fragments.surveyIntro.id },
      { digits: caseNumber },
      { file: fragments.surveyAsk.id },
    ]),
  surveyRetry: prompt('survey_retry', '没有识别到您的选择。满意请按1，基本满意请按2，不满意请按3。'),
  surveyThanks: prompt('survey_thanks', '感谢您的评价，祝您生活愉快，再见。'),
  surveyNoChoice: prompt('survey_no_choice', '没有收到您的评价，感谢您的接听，再见。'),
} as const;

/** The survey's keypad answers and what they mean. */
export const satisfaction = {
  '1': { level: 'satisfied', label: '满意' },
  '2': { level: 'basically_satisfied', label: '基本满意' },
  '3': { level: 'dissatisfied', label: '不满意' },
} as const;

export type SatisfactionDigit = keyof typeof satisfaction;
export type SatisfactionLevel = (typeof satisfaction)[SatisfactionDigit]['level'];

/**
 * Every recording the prompts above are made of, with what it says: what a city
 * records, what scripts/pbx/prompts.sh makes for the demo, and what the PBX
 * adapters check at start.
 */
export function promptFiles(): Prompt[] {
  const files = new Map<string, Prompt>();
  const add = (p: Prompt) => files.set(p.id, p);
  for (const value of Object.values(prompts)) if (typeof value !== 'function') add(value);
  for (const value of [...Object.values(fragments), ...Object.values(caseStates), otherState]) add(value);
  DIGIT_WORDS.forEach((word, digit) => add(prompt(`digits/${digit}`, word)));
  return [...files.values()];
}
