import type { SurveyResult } from '../surveys/vocabulary.js';
/**
 * The chat channel's own vocabulary. Nothing here knows Wechaty: the glue in
 * bot.ts turns a puppet's message into a ChatInput, and the conversation only
 * ever sees these types.
 */

export type UnsupportedKind = 'voice' | 'sticker' | 'file' | 'link' | 'video' | 'other';

export type ChatInput =
  | { kind: 'text'; text: string }
  | { kind: 'location'; lat: number; lng: number; name: string | null; address: string | null }
  /** A photo already stored as an upload (like a mini-program upload); gps from its EXIF, if any. */
  | { kind: 'image'; uploadId: string; gps: { lat: number; lng: number } | null }
  /** An image the bot could not read or store. */
  | { kind: 'bad_image' }
  | { kind: 'unsupported'; what: UnsupportedKind }
  /** The citizen followed the official account or opened the mini-program's customer-service chat. */
  | { kind: 'followed' };

/** 拒绝回访: the citizen does not want to be surveyed (no more calls). */
export type { SurveyResult };

/** Where a report happened, as the citizen will read it back and as intake will place it. */
export interface Place {
  /** Plain words for the confirmation: 东湖路18号门口, 望江小区附近. */
  label: string;
  /** What intake gets as the address; it resolves to the same area. */
  address: string;
  lat: number | null;
  lng: number | null;
}

/** The city's best match for an address the citizen typed: a point, and the community and grid it lies in. */
export interface AddressMatch {
  /** 东湖路18号, 文昌阁小区门口: what the citizen is asked to confirm. */
  label: string;
  community: string | null;
  grid: string | null;
  lat: number;
  lng: number;
}

export interface DraftCategory {
  code: string;
  name: string;
  kind: '部件' | '事件' | '非城管';
  /** The classifier was sure, or the citizen named it: intake takes it as chosen. */
  sure: boolean;
  photoRequired: boolean;
}

/** A report being put together over several messages. */
export interface ReportDraft {
  /** The puppet's id of the message that opened the draft: the root of the intake idempotency key. */
  id: string;
  texts: string[];
  category: DraftCategory | null;
  descriptionTries: number;
  place: Place | null;
  placeTries: number;
  /** An address match put to the citizen (confirming_place), with the words it was found in. */
  proposal?: { match: AddressMatch; said: string } | null;
  photos: string[];
}

/** A survey question the bot has put to the citizen and waits an answer for. */
export interface SurveyAsk {
  surveyId: string;
  caseNo: string;
  title: string;
  /** Set after one reply that was not an answer: the next one is handled as usual. */
  reminded?: boolean;
}

export const conversationStates = [
  'idle',
  'awaiting_description',
  'awaiting_place',
  'confirming_place',
  'awaiting_photo',
  'confirming',
  'editing',
] as const;
export type ConversationState = (typeof conversationStates)[number];

/** One contact's conversation, as stored in chat_conversations. */
export interface Conversation {
  contactId: string;
  citizenId: string;
  state: ConversationState;
  report: ReportDraft | null;
  survey: SurveyAsk | null;
  /** With an agent: the bot stays quiet. */
  handover: boolean;
}

export interface CaseStatus {
  caseNo: string;
  categoryName: string | null;
  state: string;
  departmentName: string | null;
  createdAt: Date;
  surveyResult: string | null;
}

export interface Submitted {
  caseId: string;
  caseNo: string;
  /** Attached to an open case about the same problem instead of opening a new one. */
  duplicate: boolean;
}

export interface PendingSurvey {
  surveyId: string;
  caseNo: string;
  title: string;
  /** The question was put in this chat (a chat survey waiting for its answer). */
  asked: boolean;
}

export type PlaceLookup = { found: Place } | { unresolved: string } | null;

export interface Classified {
  code: string;
  name: string;
  kind: '部件' | '事件' | '非城管';
  sure: boolean;
  photoRequired: boolean;
}

/**
 * What the conversation asks of the rest of the service. Implemented on
 * Services in ports.ts; tests of the conversation give it plain objects.
 */
export interface ChatPorts {
  /** null when the text says nothing the classifier can judge. */
  classify(text: string): Promise<Classified | null>;
  /** A category the citizen names outright (店外经营, 井盖), for corrections. */
  categoryNamed(text: string): Promise<Classified | null>;
  placeFromText(text: string): Promise<PlaceLookup>;
  /** The gazetteer's (or the external geocoder's) best match, if precise enough to put a point on; null otherwise. */
  findAddress(text: string): Promise<AddressMatch | null>;
  /** null when the point is outside the city's grid. */
  placeFromPoint(input: {
    lat: number;
    lng: number;
    name: string | null;
    address: string | null;
  }): Promise<Place | null>;
  submit(conversation: Conversation, draft: ReportDraft, who: { name: string | null }): Promise<Submitted>;
  /** Only the citizen's own cases: null for a case they did not report. */
  caseStatus(citizenId: string, caseNo: string): Promise<CaseStatus | null>;
  myCases(citizenId: string, limit: number): Promise<CaseStatus[]>;
  pendingSurvey(citizenId: string): Promise<PendingSurvey | null>;
  /** false when the survey is no longer waiting (answered elsewhere, cancelled). */
  answerSurvey(input: {
    surveyId: string;
    citizenId: string;
    result: SurveyResult;
    comment: string | null;
  }): Promise<boolean>;
}

export interface Turn {
  conversation: Conversation;
  replies: string[];
  /** The case a submission opened or joined, recorded on the message. */
  caseId?: string;
}
