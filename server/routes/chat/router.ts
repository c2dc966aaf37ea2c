import Router from '@koa/router';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { notFound, serviceUnavailable } from '../../errors.js';
import { conversationMessages, findConversation, listConversations } from '../../chatbot/desk.js';
import { chatEngineOf } from '../../chatbot/registry.js';
import { contactParams, conversationsQuery, messagesQuery, replyBody } from './schema.js';
import { presentConversation, presentMessage } from '../../presenters/chat.js';

/** The agents' side of the WeChat chat: the handover queue, a conversation's messages, replying and handing back. */
export function chatRoutes(services: Services) {
  const router = new Router({ prefix: '/api/chat/conversations' });
  router.use(requireStaff);

  const engine = () => {
    const running = chatEngineOf(services);
    if (!running) throw serviceUnavailable('微信机器人未运行，暂时无法发送消息');
    return running;
  };

  router.get('/', validate({ query: conversationsQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'chat.handle');
    const q = ctx.input.query;
    const items = await listConversations(services, q);
    ctx.body = { items: items.map(presentConversation) };
  });

  router.get('/:contactId/messages', validate({ params: contactParams, query: messagesQuery }), async (ctx) => {
    authorize(actorOf(ctx), 'chat.handle');
    const { contactId } = ctx.input.params;
    if (!(await findConversation(services, contactId))) throw notFound('会话');
    const q = ctx.input.query;
    ctx.body = { items: (await conversationMessages(services, contactId, q)).map(presentMessage) };
  });

  /** The agent's words go to the citizen through the bot; the agent takes the conversation. */
  router.post('/:contactId/reply', validate({ params: contactParams, body: replyBody }), async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'chat.handle');
    const { text } = ctx.input.body;
    const { message, delivered } = await engine().agentReply(ctx.input.params.contactId, actor.id, text);
    ctx.status = 201;
    ctx.body = { message: presentMessage(message), delivered };
  });

  /** Back to the bot, which tells the citizen and picks up any report where it was. */
  router.post('/:contactId/release', validate({ params: contactParams }), async (ctx) => {
    authorize(actorOf(ctx), 'chat.handle');
    const { contactId } = ctx.input.params;
    const { delivered } = await engine().release(contactId);
    const row = await findConversation(services, contactId);
    ctx.body = { conversation: { contactId, handover: row!.handover, state: row!.state }, delivered };
  });

  return router;
}
