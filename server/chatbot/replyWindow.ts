/**
 * WeChat's customer-service window (客服消息下发条件): what a citizen's action
 * lets us send, per WeChat's documentation since June 2023. A message opens 5
 * messages for 48 hours; following the official account 3 for one minute; a
 * mini-program user entering the customer-service session 2 for one minute.
 * Windows do not add up: a new action sets its own allowance, except that an
 * event never shortens the window a message opened.
 */
export type WindowAction = 'message' | 'subscribe' | 'enter_session';

const ALLOWANCE: Record<WindowAction, { ms: number; replies: number }> = {
  message: { ms: 48 * 3_600_000, replies: 5 },
  subscribe: { ms: 60_000, replies: 3 },
  enter_session: { ms: 60_000, replies: 2 },
};

export interface ReplyWindow {
  until: Date;
  replies: number;
}

/** The window after `action` at `at`, given the window open before it (if any). */
export function windowAfter(action: WindowAction, at: Date, before: ReplyWindow | null): ReplyWindow {
  const { ms, replies } = ALLOWANCE[action];
  const fresh = { until: new Date(at.getTime() + ms), replies };
  if (action === 'message' || !before || before.until <= at || before.replies <= 0) return fresh;
  return before.until > fresh.until ? before : fresh;
}

export function windowOpen(w: ReplyWindow | null, now: Date): boolean {
  return !!w && w.until > now && w.replies > 0;
}

/** A reply the window does not allow: not attempted, and not kept for later. */
export class ReplyWindowClosed extends Error {
  constructor(contactId: string) {
    super(`reply window closed for chat contact ${contactId}`);
    this.name = 'ReplyWindowClosed';
  }
}
