import type { TaggedWord } from '@node-rs/jieba';
import { normalizeText, wellFormed } from '../text/normalize.js';
import { segmenter } from '../text/segment.js';
import { extractLocations, placeHeadEnds, placeHeads } from './locations.js';
import { extractPhones } from './phones.js';
import { extractTimes } from './times.js';

export interface Entities {
  locations: string[];
  times: string[];
  phones: string[];
}

// Extraction runs on the first part of a very long message only: a caller gives the
// address and time early, and the tagger's cost grows with the text.
const MAX_CHARS = 3000;

/** Locations, times and phone numbers, each as written in the (normalised) text. */
export function extractEntities(input: string): Entities {
  const text = wellFormed(normalizeText(input).slice(0, MAX_CHARS));
  return entitiesOf(text, text ? segmenter().tag(text, true) : []);
}

// Characters a place phrase ends with (the heads' last characters and the unit words):
// a clause with none of them holds no place, and is not tagged at all.
// 市, 县, 镇 and 乡 are left out: every letter names its city and county (A市, A7县),
// and a place worth finding has a road, compound or building word besides.
const PLACE_CHARS = new RegExp(
  `[${[...new Set([...placeHeadEnds(), ...'号栋幢座单元室楼层期段口门'])].filter((c) => !'市县镇乡'.includes(c)).join('')}]`,
  'u',
);
// Every head word: a clause let through by its unit characters may still hold A市.
const HEAD_WORD = new RegExp(placeHeads().join('|'), 'u');
const PLACE_CHARS_SCANNED = 600;
const CLAUSE = /[^,.。!?;:、，！？；：\s]+/gu;

/**
 * The classifier's path: normalised text in, jieba's tagger run only on the clauses
 * that could hold a place. Tagging is the costliest step of classify(), and in a long
 * letter most clauses are about something else. Places never span a clause break.
 */
export function entitiesOfNormalized(input: string): Entities {
  const text = input.length > MAX_CHARS ? wellFormed(input.slice(0, MAX_CHARS)) : input;
  if (!text) return { locations: [], times: [], phones: [] };
  // A caller gives the place early; tagging the rest of a long letter costs more than it finds.
  const clauses: { text: string; tagged?: TaggedWord[] }[] = [];
  const toTag: string[] = [];
  for (const m of text.slice(0, PLACE_CHARS_SCANNED).matchAll(CLAUSE)) {
    if (!PLACE_CHARS.test(m[0])) continue;
    // Without a head word (路, 小区, 医院 …) the tagger cannot find a place: only the
    // door and building numbers can, and they are read from the text itself.
    const tagged = HEAD_WORD.test(m[0]) ? [] : undefined;
    if (tagged) toTag.push(m[0]);
    clauses.push({ text: m[0], tagged });
  }
  // One call to the tagger for all clauses: jieba segments each run between
  // punctuation on its own, so a newline between clauses changes nothing but the
  // cost of many calls.
  if (toTag.length > 0) {
    const parts = clauses.filter((c) => c.tagged);
    let at = 0;
    for (const word of segmenter().tag(toTag.join('\n'), true)) {
      if (word.word === '\n') at++;
      else parts[at]?.tagged?.push(word);
    }
  }
  const locations: string[] = [];
  for (const clause of clauses) {
    for (const place of extractLocations(clause.text, clause.tagged ?? [])) {
      if (!locations.includes(place)) locations.push(place);
    }
  }
  return { locations, times: extractTimes(text), phones: extractPhones(text) };
}

/** For callers that have already normalised and tagged the text. */
export function entitiesOf(text: string, tagged: readonly TaggedWord[]): Entities {
  if (!text) return { locations: [], times: [], phones: [] };
  return { locations: extractLocations(text, tagged), times: extractTimes(text), phones: extractPhones(text) };
}
