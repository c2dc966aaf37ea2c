import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { chatConversations, chatMessages } from '../db/schema.js';
import {
  conversationStates,
  type ChatInput,
  type Conversation,
  type ConversationState,
  type ReportDraft,
  type SurveyAsk,
  type UnsupportedKind,
} from './types.js';
import { windowAfter, windowOpen, type ReplyWindow, type WindowAction } from './replyWindow.js';
import type { ChatConversationRow, ChatMessageRow } from '../db/rows.js';

/**
 * The chat's two tables. A message is written before it is handled and marked
 * when it has been; a reply is written with the turn and marked when sent. So a
 * restart finds both what it still has to answer and what it still has to say.
 */

export type { ChatMessageRow } from '../db/rows.js';

interface StoredDraft {
  report: ReportDraft | null;
  survey: SurveyAsk | null;
}

export function toConversation(row: ChatConversationRow): Conversation {
  const draft = (row.draft ?? {}) as Partial<StoredDraft>;
  const state = (conversationStates as readonly string[]).includes(row.state)
    ? (row.state as ConversationState)
    : 'idle';
  return {
    contactId: row.contactId,
    citizenId: row.citizenId!,
    state: draft.report ? state : 'idle',
    report: draft.report ?? null,
    survey: draft.survey ?? null,
    handover: row.handover,
  };
}

export async function loadConversation(db: DbOrTx, contactId: string): Promise<Conversation | null> {
  const [row] = await db.select().from(chatConversations).where(eq(chatConversations.contactId, contactId));
  return row?.citizenId ? toConversation(row) : null;
}

export async function insertConversation(db: DbOrTx, c: Conversation): Promise<void> {
  await db
    .insert(chatConversations)
    .values({
      contactId: c.contactId,
      citizenId: c.citizenId,
      state: c.state,
      draft: { report: c.report, survey: c.survey },
      handover: c.handover,
    })
    .onConflictDoUpdate({ target: chatConversations.contactId, set: { citizenId: c.citizenId } });
}

/** What a puppet message becomes in chat_messages: kind, text and what is needed to handle it later. */
export interface InboundRecord {
  messageId: string;
  contactId: string;
  kind: string;
  text: string | null;
  payload: Record<string, unknown>;
}

export async function findMessage(db: DbOrTx, messageId: string): Promise<ChatMessageRow | undefined> {
  const [row] = await db.select().from(chatMessages).where(eq(chatMessages.messageId, messageId));
  return row;
}

/** null when the message id is already stored (a redelivery racing the first). */
export async function recordInbound(db: DbOrTx, r: InboundRecord): Promise<ChatMessageRow | null> {
  const [row] = await db
    .insert(chatMessages)
    .values({
      messageId: r.messageId,
      contactId: r.contactId,
      direction: 'in',
      kind: r.kind,
      text: r.text,
      payload: r.payload,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

const unsupportedKinds: readonly string[] = [
  'voice',
  'sticker',
  'file',
  'link',
  'video',
  'other',
] satisfies UnsupportedKind[];

/**
 * What a stored message's payload may hold, as the engine writes it (`engine.ts`): the sender's
 * name on every kind, the place on a location, the upload on an image, why an outgoing one was not sent.
 */
export interface ChatPayload {
  name?: string | null;
  lat?: number;
  lng?: number;
  placeName?: string | null;
  address?: string | null;
  uploadId?: string | null;
  gps?: { lat: number; lng: number } | null;
  mediaRef?: string;
  undelivered?: string;
}

export const payloadOf = (row: Pick<ChatMessageRow, 'payload'>): ChatPayload => (row.payload ?? {}) as ChatPayload;

/** The conversation's input, from the stored row: the same whether handled now or after a restart. */
export function inputOf(row: ChatMessageRow): ChatInput {
  const p = payloadOf(row);
  switch (row.kind) {
    case 'text':
      return { kind: 'text', text: row.text ?? '' };
    case 'location':
      // A location message is stored with its point (`engine.ts`).
      return { kind: 'location', lat: p.lat!, lng: p.lng!, name: p.placeName ?? null, address: p.address ?? null };
    case 'image':
      return p.uploadId ? { kind: 'image', uploadId: p.uploadId, gps: p.gps ?? null } : { kind: 'bad_image' };
    case 'followed':
      return { kind: 'followed' };
    default:
      return {
        kind: 'unsupported',
        what: (unsupportedKinds.includes(row.kind) ? row.kind : 'other') as UnsupportedKind,
      };
  }
}

export interface TurnRecord {
  conversation: Conversation;
  /** The inbound message this turn answered; none for agent and notification turns. */
  inboundId?: number;
  caseId?: string | null;
  replies: string[];
  agentId?: string | null;
  /** Set the agent column: an agent takes the conversation, or null when it is released. */
  assignAgent?: string | null;
}

/** The conversation, the handled mark and the replies to send, in one transaction. */
export async function saveTurn(db: Db, t: TurnRecord): Promise<ChatMessageRow[]> {
  const now = new Date();
  const c = t.conversation;
  return db.transaction(async (tx) => {
    await tx
      .update(chatConversations)
      .set({
        state: c.report ? c.state : 'idle',
        draft: { report: c.report, survey: c.survey },
        handover: c.handover,
        ...(t.assignAgent !== undefined ? { agentId: t.assignAgent } : c.handover ? {} : { agentId: null }),
        updatedAt: now,
        ...(t.inboundId != null ? { lastMessageAt: now } : {}),
      })
      .where(eq(chatConversations.contactId, c.contactId));
    if (t.inboundId != null) {
      await tx
        .update(chatMessages)
        .set({ handledAt: now, ...(t.caseId ? { caseId: t.caseId } : {}) })
        .where(eq(chatMessages.id, t.inboundId));
    }
    if (!t.replies.length) return [];
    return tx
      .insert(chatMessages)
      .values(
        t.replies.map((text) => ({
          contactId: c.contactId,
          direction: 'out' as const,
          kind: 'text',
          text,
          caseId: t.caseId ?? null,
          agentId: t.agentId ?? null,
        })),
      )
      .returning();
  });
}

/** A reply outside a turn (a notification), stored before it is sent. */
export async function recordOutbound(
  db: DbOrTx,
  contactId: string,
  text: string,
  extra: { caseId?: string | null; agentId?: string | null } = {},
): Promise<ChatMessageRow> {
  const [row] = await db
    .insert(chatMessages)
    .values({
      contactId,
      direction: 'out',
      kind: 'text',
      text,
      caseId: extra.caseId ?? null,
      agentId: extra.agentId ?? null,
    })
    .returning();
  return row;
}

export async function markSent(db: DbOrTx, ids: number[]): Promise<void> {
  if (ids.length) await db.update(chatMessages).set({ handledAt: new Date() }).where(inArray(chatMessages.id, ids));
}

export function unhandled(db: DbOrTx, direction: 'in' | 'out'): Promise<ChatMessageRow[]> {
  return db
    .select()
    .from(chatMessages)
    .where(and(eq(chatMessages.direction, direction), isNull(chatMessages.handledAt)))
    .orderBy(asc(chatMessages.id));
}

/** The citizen acted (wrote, followed, opened the session): what we may send them now. */
export async function openReplyWindow(db: DbOrTx, contactId: string, action: WindowAction, at: Date): Promise<void> {
  const [row] = await db
    .select({ until: chatConversations.replyUntil, replies: chatConversations.repliesLeft })
    .from(chatConversations)
    .where(eq(chatConversations.contactId, contactId));
  const before: ReplyWindow | null = row?.until ? { until: row.until, replies: row.replies } : null;
  const next = windowAfter(action, at, before);
  await db
    .update(chatConversations)
    .set({ replyUntil: next.until, repliesLeft: next.replies })
    .where(eq(chatConversations.contactId, contactId));
}

/** Takes one reply from the open window; false when it is closed or used up. Atomic across instances. */
export async function takeReply(db: DbOrTx, contactId: string, now: Date): Promise<boolean> {
  const taken = await db
    .update(chatConversations)
    .set({ repliesLeft: sql`${chatConversations.repliesLeft} - 1` })
    .where(
      and(
        eq(chatConversations.contactId, contactId),
        gt(chatConversations.replyUntil, now),
        gt(chatConversations.repliesLeft, 0),
      ),
    )
    .returning({ left: chatConversations.repliesLeft });
  return taken.length > 0;
}

/** A reply taken but never delivered (WeChat unreachable) goes back. */
export async function returnReply(db: DbOrTx, contactId: string): Promise<void> {
  await db
    .update(chatConversations)
    .set({ repliesLeft: sql`${chatConversations.repliesLeft} + 1` })
    .where(eq(chatConversations.contactId, contactId));
}

/** WeChat says the window is closed (45015, 45047): believe it. */
export async function closeReplyWindow(db: DbOrTx, contactId: string): Promise<void> {
  await db.update(chatConversations).set({ repliesLeft: 0 }).where(eq(chatConversations.contactId, contactId));
}

export async function replyWindowOpen(db: DbOrTx, contactId: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ until: chatConversations.replyUntil, replies: chatConversations.repliesLeft })
    .from(chatConversations)
    .where(eq(chatConversations.contactId, contactId));
  return windowOpen(row?.until ? { until: row.until, replies: row.replies } : null, now);
}

/** A reply the window did not allow: done with, never sent; the desk shows why. */
export async function markUndelivered(db: DbOrTx, ids: number[], reason: string): Promise<void> {
  if (!ids.length) return;
  await db
    .update(chatMessages)
    .set({ handledAt: new Date(), payload: { undelivered: reason } })
    .where(inArray(chatMessages.id, ids));
}

/** Messages of one contact stored and not yet answered, oldest first. */
export function unhandledOf(db: DbOrTx, contactId: string): Promise<ChatMessageRow[]> {
  return db
    .select()
    .from(chatMessages)
    .where(and(eq(chatMessages.contactId, contactId), eq(chatMessages.direction, 'in'), isNull(chatMessages.handledAt)))
    .orderBy(asc(chatMessages.id));
}

export async function updatePayload(db: DbOrTx, id: number, payload: Record<string, unknown>): Promise<void> {
  await db.update(chatMessages).set({ payload }).where(eq(chatMessages.id, id));
}
