import { eq } from 'drizzle-orm';
import type { Services } from '../../context.js';
import { citizens } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { RateLimiter } from '../../lib/rateLimit.js';
import { resolveCitizen } from '../../citizens/resolve.js';
import { storeImage } from '../../files/uploads.js';
import { checkCitizenText } from '../../citizens/contentCheck.js';
import { converse, newConversation, prompt } from './conversation.js';
import { replies } from './replies.js';
import { servicePorts, type SurveyGateway } from './ports.js';
import {
  findMessage,
  inputOf,
  insertConversation,
  loadConversation,
  markSent,
  recordInbound,
  recordOutbound,
  saveTurn,
  unhandled,
  type ChatMessageRow,
  type InboundRecord,
} from './store.js';
import type { ChatPorts, Conversation, Turn, UnsupportedKind } from './types.js';
import { groupBy } from '../../lib/groupBy.js';

/** How replies leave: the Wechaty glue sends text to a contact. */
export interface ChatTransport {
  send(contactId: string, text: string): Promise<void>;
}

/** A puppet message, already turned into the channel's terms by the glue. */
export interface InboundChat {
  messageId: string;
  contactId: string;
  name: string | null;
  content:
    | { kind: 'text'; text: string }
    | { kind: 'location'; lat: number; lng: number; name: string | null; address: string | null }
    /** Read once, before the message is stored: a photo is saved like a mini-program upload. */
    | { kind: 'image'; read(): Promise<Buffer> }
    | { kind: 'unsupported'; what: UnsupportedKind };
}

export interface ChatEngineOptions {
  /** Messages one contact may send per window before the bot asks them to slow down. */
  burstLimit?: number;
  burstWindowMs?: number;
  surveys?: SurveyGateway;
  /** Replaces the service-backed ports (tests of failure paths). */
  ports?: ChatPorts;
}

/**
 * Runs conversations for every contact: stores each message before handling
 * it, handles one contact's messages one at a time (different contacts at
 * once), saves the turn and sends the replies. Knows no Wechaty: the glue
 * gives it InboundChat and a ChatTransport.
 */
export class ChatEngine {
  private transport: ChatTransport | null = null;
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly limiter: RateLimiter;
  private readonly noticed = new Map<string, number>();
  private readonly windowMs: number;
  private readonly ports: ChatPorts;

  constructor(
    private readonly services: Services,
    options: ChatEngineOptions = {},
  ) {
    this.windowMs = options.burstWindowMs ?? 60_000;
    this.limiter = new RateLimiter(options.burstLimit ?? services.config.WECHAT_BOT_BURST_LIMIT, this.windowMs);
    this.ports = options.ports ?? servicePorts(services, options.surveys);
  }

  get online(): boolean {
    return this.transport !== null;
  }

  attach(transport: ChatTransport): void {
    this.transport = transport;
  }

  detach(): void {
    this.transport = null;
  }

  /** Waits until every contact's queue is empty. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }

  /** Stores the message (once per puppet id) and handles it. */
  receive(message: InboundChat): Promise<void> {
    return this.serial(message.contactId, async () => {
      const seen = await findMessage(this.services.database.db, message.messageId);
      if (seen) {
        // Redelivered: answered already, or stored by a run that stopped before answering.
        if (!seen.handledAt) await this.handle(seen, true);
        return;
      }
      const conversation = await this.conversationFor(message.contactId, message.name);
      const record = await this.toRecord(message, conversation);
      const row = await recordInbound(this.services.database.db, record);
      if (row) await this.handle(row, false, conversation);
    });
  }

  /** After (re)start: sends replies that never left, then answers messages stored but not handled. */
  async resume(): Promise<void> {
    const db = this.services.database.db;
    const unsent = await unhandled(db, 'out');
    for (const [contactId, rows] of groupBy(unsent, (r) => r.contactId)) {
      void this.serial(contactId, () => this.deliver(rows));
    }
    for (const row of await unhandled(db, 'in')) {
      void this.serial(row.contactId, async () => {
        const fresh = await findMessage(db, row.messageId!);
        if (fresh && !fresh.handledAt) await this.handle(fresh, true);
      });
    }
    await this.idle();
  }

  /** An agent's reply from the console: the agent takes the conversation, the bot stays quiet. */
  agentReply(
    contactId: string,
    agentId: string,
    text: string,
  ): Promise<{ message: ChatMessageRow; delivered: boolean }> {
    return this.serial(contactId, async () => {
      const conversation = await loadConversation(this.services.database.db, contactId);
      if (!conversation) throw notFound('会话');
      conversation.handover = true;
      const [message] = await saveTurn(this.services.database.db, {
        conversation,
        replies: [text],
        agentId,
        assignAgent: agentId,
      });
      const delivered = await this.deliver([message]);
      return { message, delivered };
    });
  }

  /** The agent hands the conversation back; the bot picks up where the report was. */
  release(contactId: string): Promise<{ delivered: boolean }> {
    return this.serial(contactId, async () => {
      const conversation = await loadConversation(this.services.database.db, contactId);
      if (!conversation) throw notFound('会话');
      conversation.handover = false;
      const out = [replies.released];
      if (conversation.report) out.push(prompt(conversation));
      const rows = await saveTurn(this.services.database.db, { conversation, replies: out, assignAgent: null });
      return { delivered: await this.deliver(rows) };
    });
  }

  /**
   * The ChatSender port (server/notifications): a notification or survey
   * question sent now, or an error so the notification job retries it. Recorded
   * once sent, never queued for the next start: the job owns the retry.
   */
  send(contactId: string, text: string): Promise<void> {
    return this.serial(contactId, async () => {
      const transport = this.transport;
      if (!transport) throw new Error('chat bot is not logged in');
      await transport.send(contactId, text);
      const db = this.services.database.db;
      const row = await recordOutbound(db, contactId, text);
      await markSent(db, [row.id]);
      await this.rememberSurveyQuestion(contactId, text);
    });
  }

  /** A survey question just sent: the conversation reads the next 1/2/3 as its answer. */
  private async rememberSurveyQuestion(contactId: string, text: string): Promise<void> {
    const db = this.services.database.db;
    const conversation = await loadConversation(db, contactId);
    if (!conversation || conversation.survey) return;
    const pending = await this.ports.pendingSurvey(conversation.citizenId);
    if (!pending?.asked || !text.includes(pending.caseNo)) return;
    conversation.survey = { surveyId: pending.surveyId, caseNo: pending.caseNo, title: pending.title };
    await saveTurn(db, { conversation, replies: [] });
  }

  /** `loaded`: the conversation as receive() just read it (messages of one contact are handled one at a time). */
  private async handle(row: ChatMessageRow, recovered: boolean, loaded?: Conversation): Promise<void> {
    const { log } = this.services;
    const name = ((row.payload ?? {}) as { name?: string | null }).name ?? null;
    const conversation = loaded ?? (await this.conversationFor(row.contactId, name));
    const input = inputOf(row);
    let turn: Turn;
    // Messages caught up after a restart were sent at a normal pace: they are not a burst.
    if (!recovered && !this.limiter.take(row.contactId)) {
      turn = { conversation, replies: this.noticeOnce(row.contactId) ? [replies.rateLimited] : [] };
    } else if (input.kind === 'text' && !conversation.handover && !(await this.textPasses(conversation, input.text))) {
      turn = { conversation, replies: [replies.contentRefused] };
    } else {
      try {
        turn = await converse(conversation, { messageId: row.messageId!, name, input }, this.ports);
      } catch (err) {
        log.error({ err, contactId: row.contactId, messageId: row.messageId }, 'chat turn failed');
        turn = { conversation, replies: [replies.busy] };
      }
    }
    const out = await saveTurn(this.services.database.db, {
      conversation: turn.conversation,
      inboundId: row.id,
      caseId: turn.caseId,
      replies: turn.replies,
    });
    await this.deliver(out);
  }

  private async conversationFor(contactId: string, name: string | null): Promise<Conversation> {
    const db = this.services.database.db;
    const found = await loadConversation(db, contactId);
    if (found) return found;
    return db.transaction(async (tx) => {
      const citizen = await resolveCitizen(tx, this.services.phones, {
        chatContactId: contactId,
        ...(name ? { name } : {}),
      });
      const conversation = newConversation(contactId, citizen!.id);
      await insertConversation(tx, conversation);
      return conversation;
    });
  }

  private async toRecord(message: InboundChat, conversation: Conversation): Promise<InboundRecord> {
    const base = { messageId: message.messageId, contactId: message.contactId };
    const name = message.name;
    const c = message.content;
    switch (c.kind) {
      case 'text':
        return { ...base, kind: 'text', text: c.text, payload: { name } };
      case 'location':
        return {
          ...base,
          kind: 'location',
          text: c.name ?? c.address,
          payload: { name, lat: c.lat, lng: c.lng, placeName: c.name, address: c.address },
        };
      case 'image':
        try {
          const upload = await storeImage(
            this.services,
            { type: 'citizen', id: conversation.citizenId },
            await c.read(),
          );
          const gps = upload.lat != null && upload.lng != null ? { lat: upload.lat, lng: upload.lng } : null;
          return { ...base, kind: 'image', text: null, payload: { name, uploadId: upload.id, gps } };
        } catch (err) {
          this.services.log.warn({ err, contactId: message.contactId }, 'chat image could not be stored');
          return { ...base, kind: 'image', text: null, payload: { name, uploadId: null } };
        }
      case 'unsupported':
        return { ...base, kind: c.what, text: null, payload: { name } };
    }
  }

  /**
   * WeChat's content check, the same as for mini-program text. msg_sec_check
   * takes only the openid of a mini-program user, so it runs for contacts we
   * know from the mini-program too; when WeChat cannot judge, the text goes on.
   */
  private async textPasses(conversation: Conversation, text: string): Promise<boolean> {
    if (!this.services.wechat) return true;
    const [citizen] = await this.services.database.db
      .select({ openid: citizens.openid })
      .from(citizens)
      .where(eq(citizens.id, conversation.citizenId));
    try {
      await checkCitizenText(this.services, citizen?.openid ?? null, text);
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'content_refused') return false;
      throw err;
    }
  }

  private noticeOnce(contactId: string): boolean {
    const now = Date.now();
    const last = this.noticed.get(contactId);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.noticed.set(contactId, now);
    return true;
  }

  /** Sends in order and marks each sent; stops at the first failure so nothing overtakes it. */
  private async deliver(rows: ChatMessageRow[]): Promise<boolean> {
    for (const row of rows) {
      const transport = this.transport;
      if (!transport) return false;
      try {
        await transport.send(row.contactId, row.text ?? '');
      } catch (err) {
        this.services.log.warn(
          { err, contactId: row.contactId, messageRow: row.id },
          'chat reply not sent; kept for the next start',
        );
        return false;
      }
      await markSent(this.services.database.db, [row.id]);
    }
    return true;
  }

  private serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}
