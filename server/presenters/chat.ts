import type { DeskConversation } from '../chatbot/desk.js';
import { payloadOf, type ChatMessageRow } from '../chatbot/store.js';

export function presentMessage(m: ChatMessageRow) {
  const p = payloadOf(m);
  return {
    id: m.id,
    direction: m.direction,
    kind: m.kind,
    text: m.text,
    location:
      m.kind === 'location' ? { lat: p.lat, lng: p.lng, name: p.placeName ?? null, address: p.address ?? null } : null,
    photo:
      m.kind === 'image' && p.uploadId
        ? { id: p.uploadId, url: `/files/${p.uploadId}`, thumbUrl: `/files/${p.uploadId}/thumb` }
        : null,
    /** Outgoing and never sent: WeChat's customer-service window was closed (`reply_window_closed`). */
    undelivered: typeof p.undelivered === 'string' ? p.undelivered : null,
    caseId: m.caseId,
    agentId: m.agentId,
    /** Incoming: answered by the bot or seen in handover. Outgoing: sent to WeChat. */
    done: m.handledAt != null,
    at: m.createdAt.toISOString(),
  };
}

export function presentConversation(d: DeskConversation) {
  const c = d.conversation;
  return {
    contactId: c.contactId,
    citizen: d.citizen ? { id: d.citizen.id, name: d.citizen.name, phoneMasked: d.citizen.phoneMasked } : null,
    state: c.state,
    handover: c.handover,
    agentId: c.agentId,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
    updatedAt: c.updatedAt.toISOString(),
    lastMessage: d.lastMessage ? presentMessage(d.lastMessage) : null,
  };
}
