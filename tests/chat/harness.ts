import type { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { types } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { FileBox } from 'file-box';
import type { TestContext } from '../helpers/context.js';
import { chatMessages } from '../../server/db/schema.js';
import { startChatBot, type ChatBot } from '../../server/chatbot/bot.js';
import type { ChatEngineOptions } from '../../server/chatbot/engine.js';

/**
 * A real Wechaty on wechaty-puppet-mock: citizens are mock contacts that talk
 * to the bot's account, and hear its replies the way a WeChat user would.
 */

type LocationPayload = { latitude: number; longitude: number; name: string; address: string; accuracy: number };

/** The mock puppet answers every location with one fixed place in Beijing; this one answers with what the test sent. */
export class CityPuppet extends PuppetMock {
  readonly locations = new Map<string, LocationPayload>();
  override async messageLocation(messageId: string) {
    return this.locations.get(messageId) ?? super.messageLocation(messageId);
  }
}

export const BOT_ID = 'bot-account';
let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++sequence}`;

export class Citizen {
  /** Everything the bot said to this citizen, in order. */
  readonly heard: string[] = [];

  constructor(
    private readonly h: Harness,
    readonly contact: ReturnType<mock.Mocker['createContact']>,
  ) {
    // ContactMock's typings lean on typed-emitter, which is not installed; it is a plain EventEmitter.
    (contact as unknown as EventEmitter).on('message', (m: any) => {
      if (m.payload.talkerId === BOT_ID) this.heard.push(m.payload.text ?? '');
    });
  }

  get id(): string {
    return this.contact.id;
  }

  /** Says something and returns what the bot answered to it. */
  say(text: string): Promise<string[]> {
    return this.turn(() => this.contact.say(text).to(this.h.self));
  }

  sendLocation(at: { lat: number; lng: number }, name: string, address = ''): Promise<string[]> {
    return this.raw(types.Message.Location, {
      prepare: (id) =>
        this.h.puppet.locations.set(id, { latitude: at.lat, longitude: at.lng, name, address, accuracy: 15 }),
    });
  }

  sendImage(jpeg: Buffer): Promise<string[]> {
    return this.turn(() => this.contact.say(FileBox.fromBase64(jpeg.toString('base64'), 'photo.jpg')).to(this.h.self));
  }

  /** A message of any type (sticker, voice, file, link …) with an id of our choosing, as the puppet would deliver it. */
  raw(
    type: types.Message,
    o: { id?: string; text?: string; prepare?: (messageId: string) => void } = {},
  ): Promise<string[]> {
    const messageId = o.id ?? nextId('raw');
    return this.turn(() => {
      o.prepare?.(messageId);
      this.h.mocker.MessageMock.create({
        id: messageId,
        talkerId: this.id,
        listenerId: BOT_ID,
        timestamp: Date.now(),
        type,
        text: o.text ?? '',
      } as any);
      this.h.puppet.emit('message', { messageId });
    });
  }

  /** The puppet delivering a message again (as puppets do after a reconnect): what the bot said once it is through with it. */
  async redeliver(messageId: string): Promise<string[]> {
    const before = this.heard.length;
    const received = this.h.received(messageId);
    this.h.puppet.emit('message', { messageId });
    await received;
    await this.h.bot.engine.idle();
    return this.heard.slice(before);
  }

  /** Sends, waits until the bot has handled one more of this citizen's messages, and returns the new replies. */
  async turn(send: () => void): Promise<string[]> {
    const before = this.heard.length;
    const handled = await this.handledCount();
    send();
    await vi.waitFor(
      async () => {
        if ((await this.handledCount()) <= handled) throw new Error('the bot has not handled the message yet');
      },
      { timeout: 20_000, interval: 20 },
    );
    await this.h.bot.engine.idle();
    return this.heard.slice(before);
  }

  private async handledCount(): Promise<number> {
    const [{ n }] = await this.h.t.services.database.db
      .select({ n: count() })
      .from(chatMessages)
      .where(
        and(eq(chatMessages.contactId, this.id), eq(chatMessages.direction, 'in'), isNotNull(chatMessages.handledAt)),
      );
    return n;
  }
}

export interface Harness {
  t: TestContext;
  mocker: mock.Mocker;
  puppet: CityPuppet;
  bot: ChatBot;
  self: ReturnType<mock.Mocker['createContact']>;
  /** A WeChat user; pass the id of an earlier one to have them back after a restart. */
  citizen(name?: string, id?: string): Citizen;
  /** Settles when the engine is next through with the puppet message of this id (stored, answered or skipped). */
  received(messageId: string): Promise<void>;
  /** Logs the bot's account in and waits until it has caught up. */
  login(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBot(
  t: TestContext,
  options: Partial<ChatEngineOptions> & { login?: boolean } = {},
): Promise<Harness> {
  const mocker = new mock.Mocker();
  const puppet = new CityPuppet({ mocker });
  const bot = await startChatBot(t.services, { ...options, puppet });
  const self = mocker.createContact({ id: BOT_ID, name: '城管服务' });
  // Every message the puppet delivers ends in engine.receive: told when each is through.
  const waiting = new Map<string, Array<() => void>>();
  const receive = bot.engine.receive.bind(bot.engine);
  bot.engine.receive = async (message) => {
    try {
      await receive(message);
    } finally {
      for (const done of waiting.get(message.messageId) ?? []) done();
      waiting.delete(message.messageId);
    }
  };
  const h: Harness = {
    t,
    mocker,
    puppet,
    bot,
    self,
    citizen: (name = '市民', id = nextId('wxid')) => new Citizen(h, mocker.createContact({ id, name })),
    received: (messageId) =>
      new Promise((resolve) => waiting.set(messageId, [...(waiting.get(messageId) ?? []), resolve])),
    async login() {
      mocker.login(self);
      await bot.ready;
    },
    stop: () => bot.stop(),
  };
  if (options.login !== false) await h.login();
  return h;
}
