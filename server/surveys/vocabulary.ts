/** How a survey reaches the citizen, in the order SURVEY_CHANNEL_ORDER may give. */
export const surveyChannels = ['phone', 'sms', 'miniprogram', 'chat'] as const;
export type SurveyChannel = (typeof surveyChannels)[number];
/** Where a survey row was answered: a channel, or an agent's manual callback. */
export const surveyRowChannels = [...surveyChannels, 'manual'] as const;

/** The survey's three choices, as the citizen hears or reads them on every channel. */
export const satisfactionAnswers = ['满意', '基本满意', '不满意'] as const;
export type SatisfactionAnswer = (typeof satisfactionAnswers)[number];

/** The answers that close a case; 不满意 reworks it. */
export const satisfiedAnswers: readonly SatisfactionAnswer[] = ['满意', '基本满意'];

/** What a survey can settle with: a choice, or 拒绝回访 (the citizen wants no more calls). */
export const surveyResults = [...satisfactionAnswers, '拒绝回访'] as const;
export type SurveyResult = (typeof surveyResults)[number];

/** What a survey row can record: a result, or 未接通 when the calls went unanswered. */
export const surveyOutcomes = [...surveyResults, '未接通'] as const;
export type SurveyOutcome = (typeof surveyOutcomes)[number];

export function isSatisfied(result: string | null | undefined): boolean {
  return (satisfiedAnswers as readonly string[]).includes(result ?? '');
}
