import {
  isAcknowledgement,
  isConfirm,
  isGreeting,
  isModify,
  parseCommand,
  parseSurveyAnswer,
  saysNoPhoto,
  squeeze,
  stripCorrection,
} from './intents.js';
import { placeInWords, replies } from './replies.js';
import type {
  AddressMatch,
  ChatInput,
  ChatPorts,
  Conversation,
  ConversationState,
  PlaceLookup,
  ReportDraft,
  Turn,
} from './types.js';

/**
 * The chat conversation as a state machine: one citizen message in, the next
 * conversation and the replies out. It knows nothing of Wechaty or the
 * database; what it needs from the service comes through ChatPorts.
 *
 * idle → awaiting_description → awaiting_place → awaiting_photo → confirming → (1) idle, with a case
 *                                      ↕ (an address typed: 「您说的是…吗？」)  ↘ (2) editing → confirming
 *                                  confirming_place → (1) the point and grid taken
 * A report given whole in one message goes straight to confirming. A survey
 * question and an agent handover run beside the report flow.
 */

export const MAX_PHOTOS = 6;
/** After this many descriptions the classifier could not place, the report goes on unclassified: staff sort it. */
const DESCRIPTION_TRIES = 2;
/** A reply this short to a survey question is an attempt at an answer, not a new report. */
const SHORT_REPLY = 8;
/** Where no question was put in this chat, only a reply this short is read as a survey answer. */
const SHORT_ANSWER = 10;

export interface IncomingChat {
  /** The puppet's id: the first one of a draft roots the intake idempotency key. */
  messageId: string;
  name: string | null;
  input: ChatInput;
}

export function newConversation(contactId: string, citizenId: string): Conversation {
  return { contactId, citizenId, state: 'idle', report: null, survey: null, handover: false };
}

function newDraft(id: string): ReportDraft {
  return { id, texts: [], category: null, descriptionTries: 0, place: null, placeTries: 0, photos: [] };
}

export async function converse(current: Conversation, message: IncomingChat, ports: ChatPorts): Promise<Turn> {
  const c: Conversation = structuredClone(current);
  const turn: Turn = { conversation: c, replies: [] };
  const out = turn.replies;
  if (c.handover) return turn;
  const { input } = message;

  switch (input.kind) {
    case 'unsupported':
      out.push(replies.unsupported(input.what));
      return turn;
    case 'bad_image':
      out.push(replies.badImage);
      return turn;
    case 'followed':
      out.push(replies.welcome);
      if (c.report) out.push(prompt(c));
      else await offerSurvey(c, ports, out);
      return turn;
    case 'location':
      await onLocation(c, message.messageId, input, ports, out);
      return turn;
    case 'image':
      await onImage(c, message.messageId, input, ports, out);
      return turn;
    case 'text':
      break;
  }

  const text = input.text.trim();
  if (!text) return turn;
  if (await onCommand(c, text, ports, out)) return turn;
  if (await onSurveyReply(c, text, ports, out)) return turn;
  if (isGreeting(text)) {
    if (c.report) out.push(prompt(c));
    else {
      out.push(replies.welcome);
      await offerSurvey(c, ports, out);
    }
    return turn;
  }
  // "谢谢", "好的" after a submission or an answer is not a new report.
  if (c.state === 'idle' && isAcknowledgement(text)) {
    out.push(replies.youAreWelcome);
    return turn;
  }

  switch (c.state) {
    case 'idle': {
      c.report = newDraft(message.messageId);
      const unresolved = await placeFromText(c.report, text, ports);
      await describe(c.report, text, ports);
      advance(c, out, unresolved);
      break;
    }
    case 'awaiting_description': {
      const unresolved = c.report!.place ? null : await placeFromText(c.report!, text, ports);
      await describe(c.report!, text, ports);
      advance(c, out, unresolved);
      break;
    }
    case 'awaiting_place':
      await onPlaceText(c, text, ports, out);
      break;
    case 'confirming_place':
      await onProposalReply(c, text, ports, out);
      break;
    case 'awaiting_photo':
      if (await correct(c.report!, text, false, ports, out)) advance(c, out);
      else if (!out.length) {
        if (substantive(text) && !saysNoPhoto(text)) c.report!.texts.push(text);
        out.push(replies.photoStillRequired(c.report!.category!.name));
      }
      break;
    case 'confirming':
      if (isConfirm(text)) await submit(c, message, ports, turn);
      else if (isModify(text)) {
        c.state = 'editing';
        out.push(replies.askEdit);
      } else if (await correct(c.report!, text, false, ports, out)) advance(c, out);
      else if (!out.length) out.push(replies.confirmHint);
      break;
    case 'editing':
      if (isConfirm(text)) await submit(c, message, ports, turn);
      else if (await correct(c.report!, text, true, ports, out)) advance(c, out);
      else if (!out.length) out.push(replies.askEdit);
      break;
  }
  return turn;
}

/** The question the conversation is waiting on, asked again. */
export function prompt(c: Conversation): string {
  const d = c.report;
  switch (c.state) {
    case 'idle':
      return replies.help;
    case 'awaiting_description':
      return d?.texts.length ? replies.askMoreDescription : replies.askDescription;
    case 'awaiting_place':
      return replies.placeMissing;
    case 'confirming_place':
      return d?.proposal ? proposal(d.proposal.match) : replies.placeMissing;
    case 'awaiting_photo':
      return replies.askPhoto(d!.category!.name);
    case 'confirming':
      return confirmation(d!);
    case 'editing':
      return replies.askEdit;
  }
}

function confirmation(d: ReportDraft): string {
  return replies.confirm(d.category?.name ?? null, placeInWords(d.place!.label), d.category?.kind === '非城管');
}

/** Worth adding to the description: not a bare yes/no or a word or two. */
function substantive(text: string): boolean {
  return squeeze(text).length >= 4 && !isConfirm(text) && !isModify(text);
}

function described(d: ReportDraft): boolean {
  return d.texts.length > 0 && (d.category?.sure === true || d.descriptionTries >= DESCRIPTION_TRIES);
}

/** Moves to whatever the draft still lacks, and asks for it. */
function advance(c: Conversation, out: string[], unresolvedPlace: string | null = null): void {
  const d = c.report!;
  const before = c.state;
  let next: ConversationState;
  if (!described(d)) next = 'awaiting_description';
  else if (!d.place) next = 'awaiting_place';
  else if (d.category?.photoRequired && d.photos.length === 0) next = 'awaiting_photo';
  else next = 'confirming';
  c.state = next;

  switch (next) {
    case 'awaiting_description':
      if (d.texts.length) out.push(replies.askMoreDescription);
      else if (d.place) out.push(replies.gotPlaceAskDescription(placeInWords(d.place.label)));
      else if (d.photos.length) out.push(replies.gotPhotoAskDescription);
      else out.push(replies.askDescription);
      break;
    case 'awaiting_place':
      if (unresolvedPlace) out.push(replies.placeNotFound(unresolvedPlace));
      else out.push(before === 'awaiting_place' ? replies.placeMissing : replies.askPlace(d.category?.name ?? null));
      break;
    case 'awaiting_photo':
      out.push(
        before === 'awaiting_photo' ? replies.photoStillRequired(d.category!.name) : replies.askPhoto(d.category!.name),
      );
      break;
    default:
      out.push(confirmation(d));
  }
}

async function describe(d: ReportDraft, text: string, ports: ChatPorts): Promise<void> {
  d.texts.push(text);
  const found = await ports.classify(d.texts.join('\n'));
  if (found?.sure) {
    d.category = { ...found };
    return;
  }
  d.descriptionTries++;
  // An unsure guess is still better than nothing once the citizen has tried twice.
  if (found && !d.category?.sure) d.category = { ...found, sure: false };
}

/** Sets the draft's place from the text when it names one; returns a place it names but we cannot find. */
async function placeFromText(d: ReportDraft, text: string, ports: ChatPorts): Promise<string | null> {
  const lookup: PlaceLookup = await ports.placeFromText(text);
  if (!lookup) return null;
  if ('found' in lookup) {
    d.place = lookup.found;
    return null;
  }
  d.placeTries++;
  return lookup.unresolved;
}

const proposal = (m: AddressMatch) => replies.proposePlace(m.label, m.community);

async function onPlaceText(c: Conversation, text: string, ports: ChatPorts, out: string[]): Promise<void> {
  const d = c.report!;
  // An address the city's gazetteer knows to the 门牌 or the place: its point, once the citizen says it is the one.
  const match = await ports.findAddress(text);
  if (match) {
    d.proposal = { match, said: text };
    c.state = 'confirming_place';
    out.push(proposal(match));
    return;
  }
  const lookup = await ports.placeFromText(text);
  if (lookup && 'found' in lookup) {
    d.place = lookup.found;
    d.texts.push(text);
    advance(c, out);
  } else if (lookup) {
    d.placeTries++;
    out.push(replies.placeNotFound(lookup.unresolved));
  } else {
    // More about the problem rather than where it is: keep it for the staff, ask again.
    if (substantive(text)) d.texts.push(text);
    out.push(replies.placeMissing);
  }
}

/** 1 takes the proposed address with its point; 2 or 不是 asks again; anything else is read as another address. */
async function onProposalReply(c: Conversation, text: string, ports: ChatPorts, out: string[]): Promise<void> {
  const d = c.report!;
  const proposed = d.proposal;
  d.proposal = null;
  c.state = 'awaiting_place';
  if (!proposed) return onPlaceText(c, text, ports, out);
  if (isConfirm(text)) {
    const { label, lat, lng } = proposed.match;
    d.place = { label, address: label, lat, lng };
    d.texts.push(proposed.said);
    advance(c, out);
  } else if (isModify(text)) out.push(replies.placeRejected);
  else await onPlaceText(c, text, ports, out);
}

/**
 * "不对，是在学院路", "不对，是店外经营", or after 2 a new place or description.
 * Returns whether the draft changed; a place it could not find is answered here.
 */
async function correct(
  d: ReportDraft,
  text: string,
  redescribe: boolean,
  ports: ChatPorts,
  out: string[],
): Promise<boolean> {
  const { corrected, rest } = stripCorrection(text);
  const body = rest || text;
  let changed = false;
  const lookup = await ports.placeFromText(body);
  if (lookup && 'found' in lookup) {
    d.place = lookup.found;
    changed = true;
  }
  const named = await ports.categoryNamed(body);
  if (named) {
    d.category = { ...named, sure: true };
    changed = true;
  } else if (!changed && (corrected || redescribe)) {
    // Only text that is not a place is read as a new description: 学院路 alone must not become a category.
    const found = await ports.classify(body);
    if (found?.sure) {
      d.category = { ...found };
      changed = true;
    }
  }
  if (changed) {
    d.texts.push(text);
    return true;
  }
  if (lookup && 'unresolved' in lookup) {
    d.placeTries++;
    out.push(replies.placeNotFound(lookup.unresolved));
  }
  return false;
}

async function onLocation(
  c: Conversation,
  messageId: string,
  input: Extract<ChatInput, { kind: 'location' }>,
  ports: ChatPorts,
  out: string[],
) {
  const place = await ports.placeFromPoint(input);
  if (!place) {
    out.push(replies.placeOutside);
    return;
  }
  c.report ??= newDraft(messageId);
  c.report.place = place;
  c.report.proposal = null;
  // A location sent while the editing question is open is the edit itself.
  advance(c, out);
}

async function onImage(
  c: Conversation,
  messageId: string,
  input: Extract<ChatInput, { kind: 'image' }>,
  ports: ChatPorts,
  out: string[],
) {
  c.report ??= newDraft(messageId);
  const d = c.report;
  if (d.photos.length >= MAX_PHOTOS) {
    out.push(replies.tooManyPhotos);
    return;
  }
  d.photos.push(input.uploadId);
  if (!d.place && input.gps) d.place = await ports.placeFromPoint({ ...input.gps, name: null, address: null });
  advance(c, out);
}

async function onCommand(c: Conversation, text: string, ports: ChatPorts, out: string[]): Promise<boolean> {
  const command = parseCommand(text);
  if (!command) return false;
  switch (command.type) {
    case 'handover':
      c.handover = true;
      out.push(replies.handover);
      return true;
    case 'query': {
      const status = await ports.caseStatus(c.citizenId, command.caseNo);
      out.push(status ? replies.caseStatus(status) : replies.caseNotFound(command.caseNo));
      break;
    }
    case 'mine': {
      const list = await ports.myCases(c.citizenId, 5);
      out.push(list.length ? replies.myCases(list) : replies.noCases);
      break;
    }
    case 'cancel':
      if (!c.report) out.push(replies.nothingToCancel);
      else {
        c.report = null;
        c.state = 'idle';
        out.push(replies.cancelled);
      }
      break;
    case 'help':
      out.push(replies.help);
      break;
  }
  if (c.report) out.push(prompt(c));
  else await offerSurvey(c, ports, out);
  return true;
}

/** Returns true when the text was taken as a survey's answer (or a nudge towards one). */
async function onSurveyReply(c: Conversation, text: string, ports: ChatPorts, out: string[]): Promise<boolean> {
  const answer = parseSurveyAnswer(text);
  // While a report waits for its confirmation, 1 and 2 answer that; words still answer the survey.
  const confirmationDigit =
    (c.state === 'confirming' || c.state === 'confirming_place') && answer?.onlyIfAsked === true;
  if (answer && !confirmationDigit) {
    let target: { surveyId: string } | null = c.survey;
    if (!target && squeeze(text).length <= SHORT_ANSWER) {
      const pending = await ports.pendingSurvey(c.citizenId);
      // 1/2/3 answer only a question put in this chat; words answer any survey of the citizen's.
      if (pending && (pending.asked || !answer.onlyIfAsked)) target = pending;
    }
    if (!target) return false;
    const taken = await ports.answerSurvey({
      surveyId: target.surveyId,
      citizenId: c.citizenId,
      result: answer.result,
      comment: answer.comment,
    });
    c.survey = null;
    out.push(taken ? replies.surveyThanks(answer.result) : replies.surveyGone);
    if (c.report) out.push(prompt(c));
    return true;
  }
  if (
    c.survey &&
    c.state === 'idle' &&
    !c.survey.reminded &&
    squeeze(text).length <= SHORT_REPLY &&
    !isGreeting(text)
  ) {
    c.survey.reminded = true;
    out.push(replies.surveyReprompt);
    return true;
  }
  return false;
}

/** Once the conversation is free: the survey question that waits for this citizen in chat, put (again). */
async function offerSurvey(c: Conversation, ports: ChatPorts, out: string[]): Promise<void> {
  if (c.state !== 'idle' || c.report || c.handover) return;
  if (!c.survey) {
    const pending = await ports.pendingSurvey(c.citizenId);
    if (!pending?.asked) return;
    c.survey = { surveyId: pending.surveyId, caseNo: pending.caseNo, title: pending.title };
  }
  out.push(replies.surveyQuestion(c.survey.caseNo, c.survey.title));
}

async function submit(c: Conversation, message: IncomingChat, ports: ChatPorts, turn: Turn): Promise<void> {
  const out = turn.replies;
  // A failure here leaves the draft as it was: the engine answers that it is busy, and a second 1 retries.
  const result = await ports.submit(c, c.report!, { name: message.name });
  c.report = null;
  c.state = 'idle';
  turn.caseId = result.caseId;
  out.push(result.duplicate ? replies.merged(result.caseNo) : replies.submitted(result.caseNo));
  await offerSurvey(c, ports, out);
}
