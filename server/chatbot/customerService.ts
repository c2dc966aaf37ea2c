import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';
import { WechatError } from '../wechatApi/errors.js';
import type { WechatGateway } from '../wechatApi/types.js';
import type { ChatTransport } from './engine.js';
import { openidOfContact } from './contacts.js';
import { ReplyWindowClosed } from './replyWindow.js';
import { closeReplyWindow, replyWindowOpen, returnReply, takeReply } from './store.js';

/**
 * The official account's and the mini-program's transport: replies go out as
 * customer-service messages (message/custom/send) and photos come in by
 * MediaId (media/get). Each send first takes one message from the contact's
 * window in the database, so no instance sends what WeChat would refuse, and
 * a message WeChat would refuse is not attempted at all.
 */
export function customerServiceTransport(services: Services, api: WechatGateway): ChatTransport {
  const db = services.database.db;
  return {
    async send(contactId, text) {
      if (!(await takeReply(db, contactId, new Date()))) throw new ReplyWindowClosed(contactId);
      try {
        await api.sendCustomText(openidOfContact(contactId), text);
      } catch (err) {
        if (err instanceof WechatError && err.code === 'reply_window_closed') {
          await closeReplyWindow(db, contactId);
          throw new ReplyWindowClosed(contactId);
        }
        await returnReply(db, contactId);
        throw err;
      }
    },
    async fetchMedia(ref) {
      return (await api.getMedia(ref)).data;
    },
    reachable(tx: DbOrTx, contactId: string, now: Date) {
      return replyWindowOpen(tx, contactId, now);
    },
  };
}
