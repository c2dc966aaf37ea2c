/**
 * The inputs each transition action takes, as docs/api.md describes its body. Which actions a
 * user may take is never decided here: the buttons come from the case's allowedActions.
 */
export interface TransitionFields {
  /** 'required': the body must carry a note; 'optional': offered; 'unless-survey': required when the case has no survey result (a supervisor's override). */
  note?: 'required' | 'optional' | 'unless-survey';
  department?: boolean;
  agency?: boolean;
  hours?: boolean;
  photos?: boolean;
  /** 并案: the number of the case this one is merged into. */
  mergeInto?: boolean;
}

const fields: Record<string, TransitionFields> = {
  reject: { note: 'required' },
  return: { note: 'required' },
  check_fail: { note: 'required' },
  rework: { note: 'required' },
  park: { note: 'required' },
  close: { note: 'unless-survey' },
  dispatch: { department: true, note: 'optional' },
  transfer: { agency: true, note: 'optional' },
  request_extension: { hours: true, note: 'required' },
  resolve: { note: 'required', photos: true },
  answer: { note: 'required' },
  urge: { note: 'required' },
  merge: { mergeInto: true, note: 'required' },
};

export const fieldsFor = (action: string): TransitionFields => fields[action] ?? { note: 'optional' };

export function noteRequired(action: string, surveyResult: string | null | undefined): boolean {
  const note = fieldsFor(action).note;
  return note === 'required' || (note === 'unless-survey' && !surveyResult);
}
