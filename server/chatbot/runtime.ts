import type { Services } from '../context.js';
import { WechatApi } from '../wechatApi/client.js';
import { customerServiceAccounts } from './accounts.js';
import type { ChatBot, ChatBotOptions } from './bot.js';
import { botOptionsFrom, launchChatBot } from './launch.js';
import { customerServiceTransport } from './customerService.js';
import { ChatEngine, type ChatEngineOptions } from './engine.js';
import { registerChatEngine } from './registry.js';

export interface ChatRuntime {
  engine: ChatEngine;
  bot: ChatBot | null;
  stop(): Promise<void>;
}

/**
 * One conversation engine for every chat channel: the official account and
 * the mini-program's customer-service messages (transports over WeChat's
 * API, online as soon as they are configured) and, when a puppet is named,
 * the Wechaty bot. null when no channel is configured.
 */
export async function startChat(
  services: Services,
  options: ChatEngineOptions & { bot?: ChatBotOptions | null } = {},
): Promise<ChatRuntime | null> {
  const { config } = services;
  const accounts = customerServiceAccounts(config);
  const botOptions =
    options.bot !== undefined ? options.bot : config.WECHAT_BOT_PUPPET ? botOptionsFrom(services) : null;
  if (!accounts.length && !botOptions) return null;

  const engine = new ChatEngine(services, options);
  const unregister = registerChatEngine(services, engine);
  for (const account of accounts) {
    // The mini-program's own client when it is the one configured; the official account gets its own token cache.
    const api =
      account.channel === 'mp' && services.wechat
        ? services.wechat
        : new WechatApi({
            baseUrl: config.WECHAT_API_BASE,
            appid: account.appid,
            secret: account.secret,
            timeoutMs: config.WECHAT_TIMEOUT_MS,
            logger: services.log,
          });
    engine.attach(customerServiceTransport(services, api), account.channel);
  }
  let bot: ChatBot | null = null;
  try {
    if (botOptions) bot = await launchChatBot(services, { ...botOptions, engine });
    // Messages acknowledged by a run that stopped before answering them.
    if (accounts.length) await engine.resume();
  } catch (err) {
    unregister();
    throw err;
  }
  services.log.info({ channels: accounts.map((a) => a.channel), wechaty: !!bot }, 'chat channels started');
  return {
    engine,
    bot,
    async stop() {
      await bot?.stop();
      unregister();
      await engine.idle();
      for (const account of accounts) engine.detach(account.channel);
    },
  };
}
