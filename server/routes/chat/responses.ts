import { z } from 'zod';
import type { Declarations } from '../openapi/declare.js';
import { dateTime, photo } from '../openapi/shapes.js';

export const chatMessage = z
  .object({
    id: z.number().int(),
    direction: z.enum(['in', 'out']),
    kind: z.string(),
    text: z.string().nullable(),
    location: z
      .object({ lat: z.number(), lng: z.number(), name: z.string().nullable(), address: z.string().nullable() })
      .nullable(),
    photo: photo.extend({ id: z.string() }).nullable(),
    undelivered: z.string().nullable(),
    caseId: z.string().nullable(),
    agentId: z.string().nullable(),
    done: z.boolean(),
    at: dateTime,
  })
  .meta({ id: 'ChatMessage' });

export const conversation = z
  .object({
    contactId: z.string(),
    citizen: z.object({ id: z.string(), name: z.string().nullable(), phoneMasked: z.string().nullable() }).nullable(),
    state: z.string(),
    handover: z.boolean(),
    agentId: z.string().nullable(),
    lastMessageAt: dateTime.nullable(),
    updatedAt: dateTime,
    lastMessage: chatMessage.nullable(),
  })
  .meta({ id: 'Conversation' });

export const responses: Declarations = {
  'GET /api/chat/conversations': { summary: '微信会话（转人工队列）', ok: z.object({ items: z.array(conversation) }) },
  'GET /api/chat/conversations/:contactId/messages': {
    summary: '会话消息',
    ok: z.object({ items: z.array(chatMessage) }),
  },
  'POST /api/chat/conversations/:contactId/reply': {
    summary: '坐席回复（经机器人发给市民，坐席接管会话）',
    ok: z.object({ message: chatMessage, delivered: z.boolean() }),
    status: 201,
    errors: [503],
  },
  'POST /api/chat/conversations/:contactId/release': {
    summary: '交还机器人',
    ok: z.object({
      conversation: z.object({ contactId: z.string(), handover: z.boolean(), state: z.string() }),
      delivered: z.boolean(),
    }),
    errors: [503],
  },
};
