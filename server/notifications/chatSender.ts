import type { Services } from '../context.js';

/**
 * How notifications and surveys reach a WeChat chat contact. The chat bot provides
 * it when it logs in; without one, chat is simply not a channel right now.
 */
export interface ChatSender {
  send(contactId: string, text: string): Promise<void>;
}

/** Called by the chat bot once it can send; the returned function takes it back (logout, stop). */
export function registerChatSender(services: Services, sender: ChatSender): () => void {
  services.chatSender = sender;
  return () => {
    if (services.chatSender === sender) services.chatSender = null;
  };
}
