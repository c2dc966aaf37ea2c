import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Services } from '../context.js';
import { chatConversations, chatMessages, citizens } from '../db/schema.js';
import type { ChatMessageRow } from './store.js';
import type { ChatConversationRow, CitizenRow } from '../db/rows.js';

/** What the agents' console reads: the queue of conversations and one conversation's messages. */

export interface DeskConversation {
  conversation: ChatConversationRow;
  citizen: Pick<CitizenRow, 'id' | 'name' | 'phoneMasked'> | null;
  lastMessage: ChatMessageRow | null;
}

export async function listConversations(
  services: Services,
  filter: { handover?: boolean; limit: number },
): Promise<DeskConversation[]> {
  const db = services.database.db;
  const rows = await db
    .select({
      conversation: chatConversations,
      citizen: { id: citizens.id, name: citizens.name, phoneMasked: citizens.phoneMasked },
    })
    .from(chatConversations)
    .leftJoin(citizens, eq(citizens.id, chatConversations.citizenId))
    .where(filter.handover === undefined ? undefined : eq(chatConversations.handover, filter.handover))
    .orderBy(sql`${chatConversations.lastMessageAt} desc nulls last`, desc(chatConversations.updatedAt))
    .limit(filter.limit);
  const contactIds = rows.map((r) => r.conversation.contactId);
  const lastIds = contactIds.length
    ? await db
        .select({ id: sql<number>`max(${chatMessages.id})`.mapWith(Number) })
        .from(chatMessages)
        .where(inArray(chatMessages.contactId, contactIds))
        .groupBy(chatMessages.contactId)
    : [];
  const last = lastIds.length
    ? await db
        .select()
        .from(chatMessages)
        .where(
          inArray(
            chatMessages.id,
            lastIds.map((r) => r.id),
          ),
        )
    : [];
  const byContact = new Map(last.map((m) => [m.contactId, m]));
  return rows.map((r) => ({
    conversation: r.conversation,
    citizen: r.citizen?.id ? r.citizen : null,
    lastMessage: byContact.get(r.conversation.contactId) ?? null,
  }));
}

export async function findConversation(services: Services, contactId: string) {
  const [row] = await services.database.db
    .select()
    .from(chatConversations)
    .where(eq(chatConversations.contactId, contactId));
  return row ?? null;
}

/** Oldest first; `before` pages back through a long conversation. */
export async function conversationMessages(
  services: Services,
  contactId: string,
  page: { before?: number; limit: number },
): Promise<ChatMessageRow[]> {
  const rows = await services.database.db
    .select()
    .from(chatMessages)
    .where(and(eq(chatMessages.contactId, contactId), page.before ? lt(chatMessages.id, page.before) : undefined))
    .orderBy(desc(chatMessages.id))
    .limit(page.limit);
  return rows.reverse();
}
