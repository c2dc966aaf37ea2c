import type { CallbackItem } from '../surveys/queries.js';
import type { SurveyRow } from '../surveys/rounds.js';
import type { Lookups } from './case.js';

export function presentSurvey(s: SurveyRow) {
  return {
    id: s.id,
    caseId: s.caseId,
    citizenId: s.citizenId,
    round: s.round,
    channel: s.channel,
    status: s.status,
    attempts: s.attempts,
    nextAttemptAt: s.nextAttemptAt?.toISOString() ?? null,
    result: s.result,
    comment: s.comment,
    lastOutcome: s.lastOutcome,
    createdAt: s.createdAt.toISOString(),
    answeredAt: s.answeredAt?.toISOString() ?? null,
  };
}

/** One row of the manual callback queue: enough for an agent to call back, the number masked (unmask is audited). */
export function presentCallback(item: CallbackItem, l: Lookups) {
  const c = item.case;
  return {
    id: item.survey?.id ?? null,
    reason: item.reason,
    /** Automatic attempts (calls, WeChat or SMS questions) on the survey's last channel; 0 when none could be made. */
    automaticAttempts: item.survey?.attempts ?? 0,
    callbackAttempts: item.callbackAttempts,
    /** A call placed through the PBX (拨打) that waits for its outcome; considered lost after 5 minutes. */
    pendingCall: item.pendingCall ? { startedAt: item.pendingCall.startedAt.toISOString() } : null,
    survey: item.survey ? presentSurvey(item.survey) : null,
    case: {
      id: c.id,
      caseNo: c.caseNo,
      title: c.title,
      state: c.state,
      version: c.version,
      address: c.address,
      category: c.categoryCode
        ? { code: c.categoryCode, name: l.categories.name(c.categoryCode) ?? c.categoryCode }
        : null,
      department: c.departmentId ? (l.departments.get(c.departmentId) ?? null) : null,
      reworkCount: c.reworkCount,
      updatedAt: c.updatedAt.toISOString(),
    },
    citizen: item.citizen
      ? {
          id: item.citizen.id,
          phoneMasked: item.citizen.phoneMasked,
          name: item.citizen.name,
          doNotCall: item.citizen.doNotCall,
          wechat: !!item.citizen.openid || !!item.citizen.chatContactId,
        }
      : null,
  };
}
