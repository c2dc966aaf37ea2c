import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { citizens } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { RateLimiter } from '../lib/rateLimit.js';
import { resolveCitizen } from '../citizens/resolve.js';
import { storeImage } from '../files/uploads.js';
import { checkCitizenText, startImageCheck } from '../citizens/contentCheck.js';
import { registerChatSender, type ChatSender } from '../notifications/chatSender.js';
import type { DbOrTx } from '../db/client.js';
import { uploads } from '../db/schema.js';
import { channelOfContact, type ChatChannel } from './contacts.js';
import { ReplyWindowClosed, type WindowAction } from './replyWindow.js';
import { converse, newConversation, prompt } from './conversation.js';
import { replies } from './replies.js';
import { servicePorts, type SurveyGateway } from './ports.js';
import {
  findMessage,
  inputOf,
  insertConversation,
  loadConversation,
  markSent,
  markUndelivered,
  openReplyWindow,
  unhandledOf,
  updatePayload,
  recordInbound,
  recordOutbound,
  saveTurn,
  unhandled,
  type ChatMessageRow,
  type InboundRecord,
} from './store.js';
import type { ChatPorts, Conversation, Turn, UnsupportedKind } from './types.js';
import { groupBy } from '../lib/groupBy.js';

/**
 * How replies leave: the Wechaty glue sends text to a contact, the
 * customer-service transport (official account, mini-program) through WeChat's
 * API. One engine runs every channel; a contact's id says which transport is its.
 */
export interface ChatTransport {
  /** Throws ReplyWindowClosed when WeChat would not take the message now: it is then not kept for later. */
  send(contactId: string, text: string): Promise<void>;
  /** A file the transport only handed a reference to (WeChat's MediaId). */
  fetchMedia?(ref: string): Promise<Buffer>;
  /** Whether a message to this contact would be allowed now (the customer-service window). */
  reachable?(db: DbOrTx, contactId: string, now: Date): Promise<boolean>;
}

/** A puppet or pushed message, already turned into the channel's terms by the glue. */
export interface InboundChat {
  messageId: string;
  contactId: string;
  name: string | null;
  content:
    | { kind: 'text'; text: string }
    | { kind: 'location'; lat: number; lng: number; name: string | null; address: string | null }
    /** Read once, before the message is stored: a photo is saved like a mini-program upload. */
    | { kind: 'image'; read(): Promise<Buffer> }
    /** Fetched from the transport when handled (so a webhook can store the message and answer at once). */
    | { kind: 'image_ref'; ref: string }
    /** Kept for an agent to listen to: WeChat gave no transcript. */
    | { kind: 'voice_ref'; ref: string }
    | { kind: 'followed' }
    | { kind: 'unsupported'; what: UnsupportedKind };
  /** Stored with the message (a voice message's transcript came from WeChat, its MediaId). */
  extra?: Record<string, unknown>;
  /** What the message lets us send back (customer-service channels). */
  opens?: { action: WindowAction; at: Date };
  /** The mini-program's openid: the chat contact is the same citizen as the mini-program user. */
  openid?: string;
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
export class ChatEngine implements ChatSender {
  private readonly transports = new Map<ChatChannel, ChatTransport>();
  private unregisterSender: (() => void) | null = null;
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

  /** Replies and notifications flow through the engine (the ChatSender port) while any transport is attached. */
  attach(transport: ChatTransport, channel: ChatChannel = 'wechaty'): void {
    this.transports.set(channel, transport);
    this.unregisterSender ??= registerChatSender(this.services, this);
  }

  detach(channel: ChatChannel = 'wechaty'): void {
    this.transports.delete(channel);
    if (!this.transports.size) {
      this.unregisterSender?.();
      this.unregisterSender = null;
    }
  }

  private transportFor(contactId: string): ChatTransport | null {
    return this.transports.get(channelOfContact(contactId)) ?? null;
  }

  /** ChatSender: a notification to this contact would go out now. */
  async reachable(db: DbOrTx, contactId: string, now: Date): Promise<boolean> {
    const transport = this.transportFor(contactId);
    if (!transport) return false;
    return transport.reachable ? transport.reachable(db, contactId, now) : true;
  }

  /**
   * Stores a pushed message (once per id: a retry to any instance finds it)
   * and returns at once, so the push can be acknowledged within WeChat's five
   * seconds; the contact's queue answers it next. false: seen before.
   */
  async accept(message: InboundChat): Promise<boolean> {
    const db = this.services.database.db;
    if (await findMessage(db, message.messageId)) return false;
    const conversation = await this.conversationFor(message.contactId, message.name, message.openid);
    const row = await recordInbound(db, await this.toRecord(message, conversation));
    if (!row) return false;
    if (message.opens) await openReplyWindow(db, message.contactId, message.opens.action, message.opens.at);
    void this.serial(message.contactId, () => this.handlePending(message.contactId)).catch((err) =>
      this.services.log.error({ err, contactId: message.contactId }, 'chat message not handled'),
    );
    return true;
  }

  /** Every stored, unanswered message of the contact, oldest first: pushes may be accepted out of order. */
  private async handlePending(contactId: string): Promise<void> {
    for (const row of await unhandledOf(this.services.database.db, contactId)) {
      const fresh = await findMessage(this.services.database.db, row.messageId!);
      if (fresh && !fresh.handledAt) await this.handle(fresh, false);
    }
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
      const conversation = await this.conversationFor(message.contactId, message.name, message.openid);
      const record = await this.toRecord(message, conversation);
      const row = await recordInbound(this.services.database.db, record);
      if (row && message.opens)
        await openReplyWindow(this.services.database.db, message.contactId, message.opens.action, message.opens.at);
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
      const transport = this.transportFor(contactId);
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
  private async handle(stored: ChatMessageRow, recovered: boolean, loaded?: Conversation): Promise<void> {
    let row = stored;
    const { log } = this.services;
    const name = ((row.payload ?? {}) as { name?: string | null }).name ?? null;
    const conversation = loaded ?? (await this.conversationFor(row.contactId, name));
    row = await this.fetchMedia(row, conversation);
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

  private async conversationFor(contactId: string, name: string | null, openid?: string): Promise<Conversation> {
    const db = this.services.database.db;
    const found = await loadConversation(db, contactId);
    if (found) return found;
    return db.transaction(async (tx) => {
      const citizen = await resolveCitizen(tx, this.services.phones, {
        chatContactId: contactId,
        ...(openid ? { openid } : {}),
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
      case 'image_ref':
        return { ...base, kind: 'image', text: null, payload: { name, ...message.extra, mediaRef: c.ref } };
      case 'voice_ref':
        return { ...base, kind: 'voice', text: null, payload: { name, ...message.extra, mediaRef: c.ref } };
      case 'followed':
        return { ...base, kind: 'followed', text: null, payload: { name, ...message.extra } };
      case 'unsupported':
        return { ...base, kind: c.what, text: null, payload: { name } };
    }
  }

  /**
   * A photo or voice message the transport holds by reference, fetched and
   * stored once (the row keeps the upload id, so a retried turn does not
   * fetch it again). A photo is kept and checked like a mini-program upload;
   * a photo that cannot be had becomes a bad image, a voice stays unplayable.
   */
  private async fetchMedia(row: ChatMessageRow, conversation: Conversation): Promise<ChatMessageRow> {
    const p = (row.payload ?? {}) as Record<string, unknown>;
    if (typeof p.mediaRef !== 'string' || 'uploadId' in p) return row;
    const owner = { type: 'citizen' as const, id: conversation.citizenId };
    let uploadId: string | null = null;
    let gps: { lat: number; lng: number } | null = null;
    try {
      const fetch = this.transportFor(row.contactId)?.fetchMedia;
      if (!fetch) throw new Error('no transport to fetch the media from');
      const data = await fetch(p.mediaRef);
      if (row.kind === 'image') {
        const upload = await storeImage(this.services, owner, data);
        uploadId = upload.id;
        gps = upload.lat != null && upload.lng != null ? { lat: upload.lat, lng: upload.lng } : null;
        const [citizen] = await this.services.database.db
          .select({ openid: citizens.openid })
          .from(citizens)
          .where(eq(citizens.id, conversation.citizenId));
        await startImageCheck(this.services, citizen?.openid ?? null, upload.id);
      } else {
        uploadId = await this.storeAudio(owner, data, String(p.format ?? 'amr'));
      }
    } catch (err) {
      this.services.log.warn({ err, contactId: row.contactId }, 'chat media could not be fetched or stored');
    }
    const payload = { ...p, uploadId, ...(gps ? { gps } : {}) };
    await updatePayload(this.services.database.db, row.id, payload);
    return { ...row, payload };
  }

  private async storeAudio(owner: { type: 'citizen'; id: string }, data: Buffer, format: string): Promise<string> {
    const id = randomUUID();
    const ext = /^[a-z0-9]{1,8}$/i.test(format) ? format.toLowerCase() : 'bin';
    const path = `${new Date().toISOString().slice(0, 10)}/${id}.${ext}`;
    await this.services.files.put(path, data);
    await this.services.database.db.insert(uploads).values({
      id,
      ownerType: owner.type,
      ownerId: owner.id,
      mime: ext === 'amr' ? 'audio/amr' : ext === 'speex' ? 'audio/speex' : 'application/octet-stream',
      bytes: data.length,
      path,
      thumbPath: path,
    });
    return id;
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

  /**
   * Sends in order and marks each sent; stops at the first failure so nothing
   * overtakes it. What WeChat's window does not allow is not kept for later:
   * it could never be sent, and an agent sees it as undelivered.
   */
  private async deliver(rows: ChatMessageRow[]): Promise<boolean> {
    for (const [i, row] of rows.entries()) {
      const transport = this.transportFor(row.contactId);
      if (!transport) return false;
      try {
        await transport.send(row.contactId, row.text ?? '');
      } catch (err) {
        if (err instanceof ReplyWindowClosed) {
          await markUndelivered(
            this.services.database.db,
            rows.slice(i).map((r) => r.id),
            'reply_window_closed',
          );
          return false;
        }
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
