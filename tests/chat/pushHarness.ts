import { randomBytes } from 'node:crypto';
import { vi } from 'vitest';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import type { TestContext } from '../helpers/context.js';
import { chatMessages } from '../../server/db/schema.js';
import type { ChatRuntime } from '../../server/chatbot/runtime.js';
import type { FakeWechat } from '../fakes/wechat/server.js';
import { signedPush, type PushAccount, type PushFields } from '../fakes/wechat/push.js';

/**
 * A citizen writing to the official account or the mini-program's chat:
 * each message is pushed to the service signed (and encrypted) as WeChat
 * would, and what the citizen hears is what reached the fake WeChat through
 * message/custom/send.
 */

let msgId = BigInt(Date.now()) * 1000n;
export const nextMsgId = () => String(++msgId);

export class PushCitizen {
  private created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly t: TestContext,
    private readonly fake: FakeWechat,
    private readonly chat: ChatRuntime,
    readonly account: PushAccount & { path: string; channel: 'oa' | 'mp' },
    readonly openid = `o${randomBytes(14).toString('base64url')}`,
  ) {}

  get contactId(): string {
    return `${this.account.channel}:${this.openid}`;
  }

  /** Everything the service sent this citizen. */
  get heard(): string[] {
    return this.fake.customerMessagesTo(this.openid);
  }

  /** The push as it would reach our server URL; the response is WeChat's acknowledgement. */
  post(fields: PushFields) {
    const push = signedPush(this.account, fields);
    return this.t
      .http()
      .post(this.account.path)
      .query(push.query)
      .set('Content-Type', push.contentType)
      .send(push.body);
  }

  fields(type: string, extra: PushFields = {}, id: string | null = nextMsgId()): PushFields {
    return {
      ToUserName: this.account.username,
      FromUserName: this.openid,
      // Strictly increasing, as WeChat's are within a conversation.
      CreateTime: ++this.created,
      MsgType: type,
      ...extra,
      ...(id ? { MsgId: Number(id) } : {}),
    };
  }

  say(text: string) {
    return this.send(this.fields('text', { Content: text }));
  }

  /** Latitude and longitude in GCJ-02, as WeChat sends them. */
  sendLocation(gcj: { lat: number; lng: number }, label: string) {
    return this.send(this.fields('location', { Location_X: gcj.lat, Location_Y: gcj.lng, Scale: 15, Label: label }));
  }

  sendImage(jpeg: Buffer) {
    const mediaId = this.fake.addMedia(jpeg);
    return this.send(this.fields('image', { PicUrl: `http://mmbiz.qpic.cn/${mediaId}`, MediaId: mediaId }));
  }

  sendVoice(recognition: string | null, audio = Buffer.from('#!AMR\n fake voice frames')) {
    const mediaId = this.fake.addMedia(audio, 'audio/amr');
    return this.send(
      this.fields('voice', {
        MediaId: mediaId,
        Format: 'amr',
        ...(recognition !== null ? { Recognition: recognition } : {}),
      }),
    );
  }

  event(name: string) {
    return this.send(this.fields('event', { Event: name }, null));
  }

  /** Pushes, checks the acknowledgement, waits until the message is answered and returns the new replies. */
  async send(fields: PushFields): Promise<string[]> {
    const before = this.heard.length;
    const handled = await this.handledCount();
    this.fake.userWrote(this.openid);
    const res = await this.post(fields);
    if (res.status !== 200 || res.text !== 'success') throw new Error(`push answered ${res.status} ${res.text}`);
    await vi.waitFor(
      async () => {
        if ((await this.handledCount()) <= handled) throw new Error('the message has not been handled yet');
      },
      { timeout: 20_000, interval: 20 },
    );
    await this.chat.engine.idle();
    return this.heard.slice(before);
  }

  handledCount = async (): Promise<number> => {
    const [{ n }] = await this.t.services.database.db
      .select({ n: count() })
      .from(chatMessages)
      .where(
        and(
          eq(chatMessages.contactId, this.contactId),
          eq(chatMessages.direction, 'in'),
          isNotNull(chatMessages.handledAt),
        ),
      );
    return n;
  };
}
