import path from 'node:path';
import type { Services } from '../context.js';
import type { ChatBot, ChatBotOptions } from './bot.js';

/** Options for a puppet named in the settings; the login is kept in DATA_DIR across restarts. */
export function botOptionsFrom(services: Services): ChatBotOptions {
  const { config } = services;
  return {
    puppet: config.WECHAT_BOT_PUPPET,
    ...(config.WECHAT_BOT_TOKEN ? { puppetOptions: { token: config.WECHAT_BOT_TOKEN } } : {}),
    name: path.resolve(config.DATA_DIR, 'wechat-bot'),
  };
}

/**
 * Starts the Wechaty bot (bot.ts). Wechaty is loaded here, when a puppet is named, and not with the
 * service: it is 80 MB of RSS and about 2 s of start-up that a service without the bot never uses.
 */
export async function launchChatBot(services: Services, options: ChatBotOptions): Promise<ChatBot> {
  const { startChatBot } = await import('./bot.js');
  return startChatBot(services, options);
}
