import type { Prompt } from '../pbx/types.js';

/**
 * Every word the hotline says, in one place for review. `id` names the recording
 * (FreeSWITCH <soundsDir>/<id>.wav, Asterisk sounds/cg/<id>); `text` is what the
 * recording says and what TTS speaks. Prompts that carry data (a case number, a
 * status) can only be spoken by TTS; their recording says the fixed part.
 */

/** Digits read one by one ("2 0 2 6 ..."), the way numbers are read back on the phone. */
export function spellDigits(digits: string): string {
  return digits.split('').join(' ');
}

const prompt = (id: string, text: string): Prompt => ({ id, text });

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
  enterCaseNumber: prompt('enter_case_number', '请输入13位案件编号，以井号键结束。'),
  caseNumberInvalid: prompt(
    'case_number_invalid',
    '您输入的案件编号格式不正确，请重新输入13位案件编号，以井号键结束。',
  ),
  caseNumberTimeout: prompt('case_number_timeout', '没有收到您的输入，请输入13位案件编号，以井号键结束。'),
  caseStatus: (caseNumber: string, status: string): Prompt =>
    prompt('case_status', `您查询的案件${spellDigits(caseNumber)}，目前的办理状态是：${status}。`),
  caseNotFound: (caseNumber: string): Prompt =>
    prompt('case_not_found', `没有查询到案件${spellDigits(caseNumber)}。重新输入请按1，人工服务请按3。`),
  caseNotFoundRetryMenu: prompt('case_not_found_menu', '重新输入案件编号请按1，人工服务请按3。'),
  lookupFailed: prompt('lookup_failed', '系统繁忙，暂时无法查询。'),
  transferToAgent: prompt('transfer_to_agent', '正在为您转接人工服务，请稍候。'),
  tooManyAttempts: prompt('too_many_attempts', '多次未能识别您的输入，正在为您转接人工服务，请稍候。'),
  goodbye: prompt('goodbye', '感谢您的来电，再见。'),

  surveyQuestion: (caseNumber: string): Prompt =>
    prompt(
      'survey_question',
      `您好，这里是城市管理服务热线，现对您反映的案件${spellDigits(caseNumber)}进行回访。对处理结果满意请按1，基本满意请按2，不满意请按3。`,
    ),
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
