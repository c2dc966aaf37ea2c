import { sql } from 'drizzle-orm';
import type { Geometry } from '../areas/validate.js';
import { surveyOutcomes, surveyRowChannels } from '../surveys/vocabulary.js';
import { reportChannels } from '../cases/channels.js';
import {
  bigint,
  bigserial,
  check,
  customType,
  date,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Lexemes for text search; built by case_search_vector() in SQL (migration 0007). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A citizen is known by a phone number (encrypted, looked up by keyed hash) and/or WeChat ids. */
export const citizens = pgTable(
  'citizens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phoneEnc: text('phone_enc'),
    phoneHash: text('phone_hash'),
    phoneMasked: text('phone_masked'),
    openid: text('openid'),
    unionid: text('unionid'),
    chatContactId: text('chat_contact_id'),
    name: text('name'),
    doNotCall: boolean('do_not_call').notNull().default(false),
    /** Replied TD (退订) to one of our SMS: no SMS is sent to this citizen again. */
    smsOptOutAt: timestamp('sms_opt_out_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('citizens_phone_hash_key').on(t.phoneHash),
    uniqueIndex('citizens_openid_key').on(t.openid),
    uniqueIndex('citizens_chat_contact_key').on(t.chatContactId),
  ],
);

export const departments = pgTable('departments', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** internal: staff act in the console; webhook: cases are forwarded to an external system. */
  delivery: text('delivery', { enum: ['internal', 'webhook'] })
    .notNull()
    .default('internal'),
  webhookUrl: text('webhook_url'),
  webhookSecret: text('webhook_secret'),
  /** For 转办 departments: the agency name a 非城管 case is handed to. */
  agency: text('agency'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

export const categories = pgTable(
  'categories',
  {
    id: serial('id').primaryKey(),
    city: text('city').notNull(),
    code: text('code').notNull(),
    kind: text('kind', { enum: ['部件', '事件', '非城管'] }).notNull(),
    level: text('level', { enum: ['大类', '小类'] }).notNull(),
    name: text('name').notNull(),
    parentCode: text('parent_code'),
    synonyms: jsonb('synonyms').$type<string[]>().notNull().default([]),
    agency: text('agency'),
    /** Radius for duplicate detection; null means the default. */
    duplicateRadiusM: integer('duplicate_radius_m'),
    photoRequired: boolean('photo_required').notNull().default(false),
  },
  (t) => [uniqueIndex('categories_city_code_key').on(t.city, t.code)],
);

export type AreaLevel = 'district' | 'street' | 'community' | 'grid';

export const areas = pgTable(
  'areas',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    level: text('level', { enum: ['district', 'street', 'community', 'grid'] }).notNull(),
    parentId: integer('parent_id'),
    /** GeoJSON Polygon or MultiPolygon in WGS84 (lng, lat). */
    geometry: jsonb('geometry').$type<Geometry | null>(),
    /** Road and place names inside the area, for matching an address without coordinates. */
    aliases: jsonb('aliases').$type<string[]>().notNull().default([]),
  },
  (t) => [index('areas_parent_idx').on(t.parentId)],
);

export const routingRules = pgTable(
  'routing_rules',
  {
    id: serial('id').primaryKey(),
    city: text('city').notNull().default('default'),
    /** A 小类 code, or a 大类 code standing for all its 小类. */
    categoryCode: text('category_code').notNull(),
    /** null: anywhere. */
    areaId: integer('area_id'),
    departmentId: integer('department_id').notNull(),
    deadlineHours: real('deadline_hours').notNull(),
    deadlineType: text('deadline_type', { enum: ['working', 'calendar'] })
      .notNull()
      .default('working'),
    priority: text('priority', { enum: ['紧急', '较急', '一般'] })
      .notNull()
      .default('一般'),
    /** The 处置时限 of a case taken as 紧急; null: a quarter of deadline_hours, at least 2 (cases/urgency.ts). */
    urgentDeadlineHours: real('urgent_deadline_hours'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('routing_rules_category_idx').on(t.categoryCode)],
);

export const staffRoles = ['agent', 'supervisor', 'department', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const staffUsers = pgTable('staff_users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: staffRoles }).notNull(),
  departmentId: integer('department_id'),
  /** Agent extension for screen-pops from the PBX. */
  extension: text('extension'),
  passwordHash: text('password_hash').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
});

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the bearer token: a leaked table does not leak sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseNo: text('case_no').notNull().unique(),
    state: text('state').notNull(),
    version: integer('version').notNull().default(1),
    channel: text('channel').notNull(),
    kind: text('kind'),
    categoryCode: text('category_code'),
    majorCode: text('major_code'),
    title: text('title').notNull(),
    description: text('description').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    address: text('address'),
    gridId: integer('grid_id'),
    communityId: integer('community_id'),
    streetId: integer('street_id'),
    districtId: integer('district_id'),
    departmentId: integer('department_id'),
    routingRuleId: integer('routing_rule_id'),
    priority: text('priority').notNull().default('一般'),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    deadlineType: text('deadline_type', { enum: ['working', 'calendar'] })
      .notNull()
      .default('working'),
    deadlineHours: real('deadline_hours'),
    /** An extension asked for by the department, waiting for a supervisor. */
    pendingExtension: jsonb('pending_extension').$type<{
      hours: number;
      note: string;
      by: string;
      at: string;
    } | null>(),
    extensionCount: integer('extension_count').notNull().default(0),
    deadlineStatus: text('deadline_status', { enum: ['正常', '即将超期', '已超期'] })
      .notNull()
      .default('正常'),
    reporterId: uuid('reporter_id'),
    /** The name the citizen gave, kept even when no phone number was given. */
    reporterName: text('reporter_name'),
    confidence: real('confidence'),
    needsReview: boolean('needs_review').notNull().default(false),
    transferAgency: text('transfer_agency'),
    duplicateCount: integer('duplicate_count').notNull().default(0),
    reworkCount: integer('rework_count').notNull().default(0),
    surveyResult: text('survey_result'),
    /** 催办 / 督办: how many times a supervisor urged the department, and the last time (cleared at 处置完毕). */
    urgeCount: integer('urge_count').notNull().default(0),
    urgedAt: timestamp('urged_at', { withTimezone: true }),
    /** 并案: the case this one was merged into. */
    mergedInto: uuid('merged_into'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Character bigrams of title, description and address: Chinese search without a segmenter. */
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`case_search_vector(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(address, ''))`,
    ),
  },
  (t) => [
    index('cases_reporter_idx').on(t.reporterId),
    // The list's order is (created_at, case_no) newest first; each filter the console offers has an
    // index that starts with it and continues in that order, so a filtered page reads only its rows.
    index('cases_created_no_idx').on(t.createdAt, t.caseNo),
    ...(
      [
        ['state', t.state],
        ['category', t.categoryCode],
        ['major', t.majorCode],
        ['department', t.departmentId],
        ['deadline_status', t.deadlineStatus],
        ['channel', t.channel],
        ['grid', t.gridId],
        ['community', t.communityId],
        ['street', t.streetId],
        ['district', t.districtId],
      ] as const
    ).map(([name, col]) => index(`cases_${name}_created_idx`).on(col, t.createdAt, t.caseNo)),
    index('cases_review_idx')
      .on(t.createdAt, t.caseNo)
      .where(sql`${t.needsReview}`),
    index('cases_triage_idx')
      .on(t.createdAt, t.caseNo)
      .where(sql`${t.departmentId} is null`),
    // The public list of closed cases, newest closure first.
    index('cases_public_closed_idx')
      .on(t.closedAt.desc())
      .where(sql`${t.state} = '结案'`),
    index('cases_search_idx').using('gin', t.searchVector),
    index('cases_urged_idx')
      .on(t.departmentId, t.urgedAt)
      .where(sql`${t.urgedAt} is not null`),
    // The duplicate search: one 小类's latitude band, longitude and window tested in the index (migration 0023).
    index('cases_nearby_idx')
      .on(t.categoryCode, t.lat, t.lng, t.createdAt)
      .where(sql`${t.lat} is not null`),
  ],
);

/** Append-only history of a case: who did what, from which state to which. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id').notNull(),
    actorType: text('actor_type', { enum: ['staff', 'citizen', 'system', 'department'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    note: text('note'),
    attachments: jsonb('attachments').$type<string[]>().notNull().default([]),
    data: jsonb('data'),
    createdAt: createdAt(),
  },
  (t) => [
    index('case_events_case_idx').on(t.caseId, t.id),
    // Open311 servicerequestupdates: the state changes of a time window, oldest first.
    index('case_events_state_changes_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.toState} is not null and ${t.fromState} is not null`),
    // 催办 / 督办 figures of a period (server/stats/supervision.ts): a few rows among millions of events.
    index('case_events_urge_idx')
      .on(t.createdAt)
      .where(sql`${t.action} = 'urge'`),
  ],
);

export { reportChannels, type ReportChannel } from '../cases/channels.js';

export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel', { enum: reportChannels }).notNull(),
    citizenId: uuid('citizen_id'),
    staffId: uuid('staff_id'),
    text: text('text').notNull(),
    photos: jsonb('photos').$type<string[]>().notNull().default([]),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    address: text('address'),
    raw: jsonb('raw'),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    classification: jsonb('classification'),
    caseId: uuid('case_id'),
    /** opened: started a case; duplicate: attached to an open case. */
    disposition: text('disposition', { enum: ['opened', 'duplicate', 'split'] })
      .notNull()
      .default('opened'),
    callId: text('call_id'),
    createdAt: createdAt(),
  },
  (t) => [index('reports_case_idx').on(t.caseId), index('reports_citizen_idx').on(t.citizenId)],
);

/**
 * The day's last case number (cases/caseNumber.ts). The daily limit is checked by the database, in the
 * statement that takes a number, so that an intake over it fails before its commit (migration 0024).
 */
export const caseCounters = pgTable(
  'case_counters',
  {
    day: text('day').primaryKey(),
    last: integer('last').notNull(),
  },
  (t) => [check('case_counters_daily_limit', sql`${t.last} <= 999999`)],
);

/** Every case filed (or attached as a duplicate report) during a call. */
export const callCases = pgTable(
  'call_cases',
  {
    callId: text('call_id').notNull(),
    caseId: uuid('case_id').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'call_cases_pkey', columns: [t.callId, t.caseId] }),
    index('call_cases_case_idx').on(t.caseId),
  ],
);

/** Who saw what they should not casually see (e.g. an unmasked phone number). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    data: jsonb('data'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_target_idx').on(t.targetType, t.targetId)],
);

export const calls = pgTable(
  'calls',
  {
    id: text('id').primaryKey(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    callerHash: text('caller_hash'),
    callerMasked: text('caller_masked'),
    calledNumber: text('called_number'),
    citizenId: uuid('citizen_id'),
    /** The last case filed during the call; every one of them is in call_cases. */
    caseId: uuid('case_id'),
    agent: text('agent'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    bridgedAt: timestamp('bridged_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    hangupCause: text('hangup_cause'),
    recordingPath: text('recording_path'),
    variables: jsonb('variables'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('calls_citizen_idx').on(t.citizenId),
    index('calls_started_idx').on(t.startedAt),
    index('calls_case_idx').on(t.caseId),
  ],
);

/**
 * Each agent's latest screen-pop, so a stream opened on any instance (a reconnect after a
 * fail-over, a second tab) shows the call in progress; NOTIFY carries only the agent and call id.
 */
export const agentScreenPops = pgTable('agent_screen_pops', {
  agent: text('agent').primaryKey(),
  callId: text('call_id').notNull(),
  payload: jsonb('payload').notNull(),
  updatedAt: updatedAt(),
});

/** Stored files (photos of reports and disposals). The original keeps no EXIF; GPS is read first. */
export const uploads = pgTable('uploads', {
  id: uuid('id').primaryKey().defaultRandom(),
  ownerType: text('owner_type', { enum: ['citizen', 'staff'] }).notNull(),
  ownerId: text('owner_id').notNull(),
  mime: text('mime').notNull(),
  bytes: integer('bytes').notNull(),
  width: integer('width'),
  height: integer('height'),
  path: text('path').notNull(),
  thumbPath: text('thumb_path').notNull(),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  /** WeChat's asynchronous image check: pending until its verdict is pushed; refused images are not shown. */
  checkTraceId: text('check_trace_id'),
  checkStatus: text('check_status', { enum: ['none', 'pending', 'passed', 'refused'] })
    .notNull()
    .default('none'),
  createdAt: createdAt(),
});

/** One forwarding of a case change to a department's external system. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull(),
    departmentId: integer('department_id').notNull(),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    status: text('status', { enum: ['pending', 'delivered', 'dead'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('deliveries_status_idx').on(t.status)],
);

/** Inbound webhook ids already accepted: a replay is refused. */
export const inboundWebhooks = pgTable('inbound_webhooks', {
  eventId: text('event_id').primaryKey(),
  departmentId: integer('department_id').notNull(),
  receivedAt: createdAt(),
});

/**
 * One callback survey of one citizen about one disposal round of a case. The
 * unique key makes "never twice for the same disposal" a database fact.
 */
export const surveys = pgTable(
  'surveys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull(),
    citizenId: uuid('citizen_id').notNull(),
    /** The case's rework count when the survey was scheduled: one survey per disposal. */
    round: integer('round').notNull(),
    channel: text('channel', { enum: surveyRowChannels }).notNull(),
    status: text('status', {
      enum: ['scheduled', 'calling', 'waiting', 'answered', 'exhausted', 'refused', 'cancelled'],
    })
      .notNull()
      .default('scheduled'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    result: text('result', { enum: surveyOutcomes }),
    comment: text('comment'),
    answeredBy: text('answered_by'),
    lastOutcome: text('last_outcome'),
    createdAt: createdAt(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('surveys_case_citizen_round_key').on(t.caseId, t.citizenId, t.round),
    index('surveys_status_idx').on(t.status),
  ],
);

/** A citizen's consent to one subscribe message of a template (WeChat grants them one at a time). */
export const subscriptionGrants = pgTable(
  'subscription_grants',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    citizenId: uuid('citizen_id').notNull(),
    templateKind: text('template_kind', { enum: ['registered', 'dispatched', 'resolved', 'survey'] }).notNull(),
    grantedAt: createdAt(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('subscription_grants_citizen_idx').on(t.citizenId, t.templateKind)],
);

/** Every notification we sent or tried, keyed so a re-run job never sends one twice. */
export const notifications = pgTable('notifications', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  dedupeKey: text('dedupe_key').notNull().unique(),
  caseId: uuid('case_id').notNull(),
  citizenId: uuid('citizen_id').notNull(),
  kind: text('kind').notNull(),
  channel: text('channel', { enum: ['subscribe', 'chat', 'sms', 'none'] }).notNull(),
  status: text('status', { enum: ['sent', 'skipped', 'refused', 'failed'] }).notNull(),
  detail: text('detail'),
  createdAt: createdAt(),
});

/** A citizen's reply to one of our SMS, as the provider pushed it: once per dedupe key, with what it did. */
export const smsReplies = pgTable(
  'sms_replies',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider', { enum: ['aliyun', 'tencent'] }).notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    citizenId: uuid('citizen_id'),
    text: text('text').notNull(),
    effect: text('effect').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sms_replies_dedupe_key').on(t.dedupeKey)],
);

/** A WeChat chat contact's conversation, stored so a restart mid-conversation loses nothing. */
export const chatConversations = pgTable('chat_conversations', {
  contactId: text('contact_id').primaryKey(),
  citizenId: uuid('citizen_id'),
  state: text('state').notNull().default('idle'),
  draft: jsonb('draft'),
  /** Handed to a person: the bot stays quiet until the agent hands it back. */
  handover: boolean('handover').notNull().default(false),
  agentId: uuid('agent_id'),
  updatedAt: updatedAt(),
  lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
  /**
   * WeChat's customer-service window: what the citizen's last action allows us to
   * send (5 messages within 48 hours of a message); none for a Wechaty contact.
   */
  replyUntil: timestamp('reply_until', { withTimezone: true }),
  repliesLeft: integer('replies_left').notNull().default(0),
});

export const chatMessages = pgTable(
  'chat_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The puppet's message id: a message redelivered after a restart is handled once. */
    messageId: text('message_id'),
    contactId: text('contact_id').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    kind: text('kind').notNull(),
    text: text('text'),
    payload: jsonb('payload'),
    caseId: uuid('case_id'),
    agentId: uuid('agent_id'),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('chat_messages_message_id_key').on(t.messageId),
    index('chat_messages_contact_idx').on(t.contactId, t.id),
  ],
);

/**
 * Per-account and per-address limits (login lockout, public reads, uploads, classify), kept here
 * rather than in memory so every instance of the service counts the same hits.
 */
export const limitCounters = pgTable(
  'limit_counters',
  {
    bucket: text('bucket').notNull(),
    key: text('key').notNull(),
    hits: integer('hits').notNull().default(0),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull().defaultNow(),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key] }), index('limit_counters_updated_idx').on(t.updatedAt)],
);

/**
 * Cases whose figures must be worked out again: marked by triggers on cases, case_events and
 * surveys in the writing transaction, drained by refreshRollups() (server/stats/rollup.ts).
 */
export const statsDirty = pgTable('stats_dirty', {
  caseId: uuid('case_id').primaryKey(),
});

const statsMetrics = () => ({
  received: integer('received').notNull(),
  closed: integer('closed').notNull(),
  closedOnTime: integer('closed_on_time').notNull(),
  reachedSurvey: integer('reached_survey').notNull(),
  disposed: integer('disposed').notNull(),
  reworked: integer('reworked').notNull(),
  disposalN: integer('disposal_n').notNull(),
  disposalMs: bigint('disposal_ms', { mode: 'number' }).notNull(),
  surveyed: integer('surveyed').notNull(),
  answered: integer('answered').notNull(),
  satisfied: integer('satisfied').notNull(),
});

/**
 * One case's contribution to the figures, by the local day each fact became true (fact_day):
 * +1/−1 as it enters and leaves 结案, +1 at its first resolve, and so on. Kept so the
 * contribution can be taken back out of stats_daily when the case changes.
 */
export const statsCaseFacts = pgTable(
  'stats_case_facts',
  {
    caseId: uuid('case_id').notNull(),
    factDay: date('fact_day').notNull(),
    cohortDay: date('cohort_day').notNull(),
    channel: text('channel').notNull(),
    /** '' for none. */
    categoryCode: text('category_code').notNull(),
    /** 0 for none. */
    departmentId: integer('department_id').notNull(),
    gridId: integer('grid_id'),
    communityId: integer('community_id'),
    streetId: integer('street_id'),
    districtId: integer('district_id'),
    ...statsMetrics(),
  },
  (t) => [primaryKey({ name: 'stats_case_facts_pk', columns: [t.caseId, t.factDay] })],
);

/**
 * The daily rollup: the cases received on cohort_day, summed by the day their facts became
 * true, once for everywhere (area_id 0) and once for each area they lie in. A period's figures
 * as of its end are the sums over its cohort days of the facts up to that end.
 */
export const statsDaily = pgTable(
  'stats_daily',
  {
    areaId: integer('area_id').notNull(),
    cohortDay: date('cohort_day').notNull(),
    factDay: date('fact_day').notNull(),
    channel: text('channel').notNull(),
    categoryCode: text('category_code').notNull(),
    departmentId: integer('department_id').notNull(),
    ...statsMetrics(),
  },
  (t) => [
    primaryKey({
      name: 'stats_daily_pk',
      columns: [t.areaId, t.cohortDay, t.factDay, t.channel, t.categoryCode, t.departmentId],
    }),
  ],
);

/**
 * The figures with one dimension per row (dim 'channel', 'category' or 'department', key its
 * value), for the whole city, each area and each department: what a dashboard with at most one of
 * the two filters sums, a few hundred rows a day whatever the volume. Kept from the same facts as
 * stats_daily, which serves an area and a department together.
 */
export const statsDims = pgTable(
  'stats_dims',
  {
    /** 0 with department 0: the whole city; an area of any level; or 0 with a department. */
    areaId: integer('area_id').notNull().default(0),
    departmentId: integer('department_id').notNull().default(0),
    cohortDay: date('cohort_day').notNull(),
    factDay: date('fact_day').notNull(),
    dim: text('dim', { enum: ['channel', 'category', 'department'] }).notNull(),
    key: text('key').notNull(),
    ...statsMetrics(),
  },
  (t) => [
    primaryKey({
      name: 'stats_dims_pk',
      columns: [t.areaId, t.departmentId, t.cohortDay, t.factDay, t.dim, t.key],
    }),
  ],
);

export const gazetteerKinds = ['road', 'house', 'poi', 'community', 'landmark'] as const;
export type GazetteerKind = (typeof gazetteerKinds)[number];

/**
 * The city's named places, in the stored datum (WGS-84): roads (a LineString), 门牌 ranges along a
 * road (numbers from–to on one side, interpolated along the line), POIs, communities and landmarks.
 */
export const gazetteerEntries = pgTable(
  'gazetteer_entries',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: gazetteerKinds }).notNull(),
    name: text('name').notNull(),
    aliases: jsonb('aliases').$type<string[]>().notNull().default([]),
    /** A representative point: the place itself, or a road's midpoint. */
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    /** LineString for roads and 门牌 ranges. */
    geometry: jsonb('geometry').$type<{ type: 'LineString'; coordinates: number[][] } | null>(),
    road: text('road'),
    houseFrom: integer('house_from'),
    houseTo: integer('house_to'),
    parity: text('parity', { enum: ['odd', 'even', 'all'] }),
    source: text('source').notNull().default('demo'),
  },
  (t) => [index('gazetteer_entries_kind_idx').on(t.kind)],
);

/** 咨询 knowledge base: answers agents find from the intake form and give on the spot. */
export const knowledgeAnswers = pgTable('knowledge_answers', {
  id: serial('id').primaryKey(),
  question: text('question').notNull(),
  answer: text('answer').notNull(),
  keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
