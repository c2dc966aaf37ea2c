import type { Services } from '../context.js';
import type { DbOrTx } from '../db/client.js';

/**
 * How notifications and surveys reach a WeChat chat contact. The chat bot provides
 * it when it logs in; without one, chat is simply not a channel right now.
 */
export interface ChatSender {
  send(contactId: string, text: string): Promise<void>;
  /**
   * Whether a message to the contact would be taken now: an official-account or
   * mini-program contact only within WeChat's customer-service window.
   */
  reachable?(db: DbOrTx, contactId: string, now: Date): Promise<boolean>;
}

/** Called by the chat bot once it can send; the returned function takes it back (logout, stop). */
export function registerChatSender(services: Services, sender: ChatSender): () => void {
  services.chatSender = sender;
  return () => {
    if (services.chatSender === sender) services.chatSender = null;
  };
}
