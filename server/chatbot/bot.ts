import { WechatyBuilder, qrcodeValueToImageUrl, types, type Message, type Wechaty, type WechatyOptions } from 'wechaty';
import type { Services } from '../context.js';
import { ChatEngine, type ChatEngineOptions, type InboundChat } from './engine.js';
import { registerChatEngine } from './registry.js';
import type { UnsupportedKind } from './types.js';

/**
 * The Wechaty glue, and nothing more: a puppet message becomes an InboundChat,
 * a reply becomes contact.say(). The conversation and its storage live in
 * engine.ts and conversation.ts.
 */

type PuppetInstance = Exclude<NonNullable<WechatyOptions['puppet']>, string>;

export interface ChatBotOptions extends ChatEngineOptions {
  /** A puppet's npm name (wechaty-puppet-service, wechaty-puppet-padlocal …) or a puppet instance (tests). */
  puppet: string | PuppetInstance;
  /** For a named puppet: `{token}` and whatever else that puppet reads. */
  puppetOptions?: Record<string, unknown>;
  /** Where Wechaty keeps its login (`<name>.memory-card.json`); none keeps it in memory. */
  name?: string;
  /** The engine the customer-service channels already run (startChat); none: the bot runs its own. */
  engine?: ChatEngine;
}

export interface ChatBot {
  readonly engine: ChatEngine;
  readonly wechaty: Wechaty;
  /** Resolves once logged in and caught up on what an earlier run left unanswered. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

const UNSUPPORTED: Partial<Record<types.Message, UnsupportedKind>> = {
  [types.Message.Audio]: 'voice',
  [types.Message.Emoticon]: 'sticker',
  [types.Message.Attachment]: 'file',
  [types.Message.Url]: 'link',
  [types.Message.MiniProgram]: 'link',
  [types.Message.Video]: 'video',
};

/** What the bot does not answer: its own messages, groups, official accounts, recalls and system notices. */
function ignored(message: Message): boolean {
  if (message.self() || message.room()) return true;
  if (message.talker().type() !== types.Contact.Individual) return true;
  return message.type() === types.Message.Recalled || message.type() === types.Message.GroupNote;
}

export async function toInbound(message: Message): Promise<InboundChat | null> {
  if (ignored(message)) return null;
  const talker = message.talker();
  const base = { messageId: message.id, contactId: talker.id, name: talker.name() || null };
  switch (message.type()) {
    case types.Message.Text:
      return { ...base, content: { kind: 'text', text: message.text() } };
    case types.Message.Location: {
      // Message#toLocation() builds an unbound Location that Wechaty 1.20 refuses; the puppet has the payload.
      const l = await message.wechaty.puppet.messageLocation(message.id);
      return {
        ...base,
        content: {
          kind: 'location',
          lat: l.latitude,
          lng: l.longitude,
          name: l.name || null,
          address: l.address || null,
        },
      };
    }
    case types.Message.Image:
      return { ...base, content: { kind: 'image', read: async () => (await message.toFileBox()).toBuffer() } };
    default:
      return { ...base, content: { kind: 'unsupported', what: UNSUPPORTED[message.type()] ?? 'other' } };
  }
}

/**
 * Starts Wechaty on the puppet and the engine behind it. Replies and survey
 * notifications flow once the account is logged in; then messages stored by
 * an earlier run and never answered are answered.
 */
export async function startChatBot(services: Services, options: ChatBotOptions): Promise<ChatBot> {
  const log = services.log.child({ component: 'wechat-bot' });
  const engine = options.engine ?? new ChatEngine(services, options);
  const name = options.name ? { name: options.name } : {};
  // Any wechaty-puppet-* package resolves by name at start, not only those Wechaty's types list.
  const wechaty = WechatyBuilder.build(
    typeof options.puppet === 'string'
      ? ({ puppet: options.puppet, puppetOptions: options.puppetOptions ?? {}, ...name } as WechatyOptions)
      : { puppet: options.puppet, ...name },
  );
  let caughtUp!: () => void;
  const ready = new Promise<void>((resolve) => (caughtUp = resolve));
  const unregisterEngine = options.engine ? () => {} : registerChatEngine(services, engine);

  wechaty.on('scan', (qrcode, status) => {
    log.info(
      { status: types.ScanStatus[status], url: qrcodeValueToImageUrl(qrcode) },
      'wechat bot: scan the QR code with the account to log in',
    );
  });
  wechaty.on('login', (user) => {
    log.info({ user: user.name() }, 'wechat bot logged in');
    engine.attach({
      send: async (contactId, text) => {
        const contact = await wechaty.Contact.find({ id: contactId });
        if (!contact) throw new Error(`wechat contact ${contactId} not found`);
        await contact.say(text);
      },
    });
    engine
      .resume()
      .catch((err) => log.error({ err }, 'wechat bot could not catch up on stored messages'))
      .finally(caughtUp);
  });
  wechaty.on('logout', (user) => {
    log.warn({ user: user.name() }, 'wechat bot logged out');
    engine.detach();
  });
  wechaty.on('error', (err) => log.warn({ err }, 'wechat bot error'));
  wechaty.on('message', async (message) => {
    try {
      const inbound = await toInbound(message);
      if (inbound) await engine.receive(inbound);
    } catch (err) {
      log.error({ err, messageId: message.id }, 'wechat message not handled');
    }
  });

  try {
    await wechaty.start();
  } catch (err) {
    unregisterEngine();
    const puppet = typeof options.puppet === 'string' ? options.puppet : 'the given puppet';
    throw new Error(
      `WECHAT_BOT_PUPPET: could not start ${puppet} (${(err as Error).message}); is the package installed?`,
      { cause: err },
    );
  }
  log.info({ puppet: typeof options.puppet === 'string' ? options.puppet : 'instance' }, 'wechat bot started');

  return {
    engine,
    wechaty,
    ready,
    async stop() {
      unregisterEngine();
      // Finish what is under way (and send its replies) before letting go of the puppet.
      await engine.idle();
      engine.detach();
      await wechaty.stop();
    },
  };
}
