import type { TaggedWord } from '@node-rs/jieba';
import { normalizeText, wellFormed } from '../text/normalize.js';
import { segmenter } from '../text/segment.js';
import { extractLocations, placeHeadEnds } from './locations.js';
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
  const locations: string[] = [];
  // A caller gives the place early; tagging the rest of a long letter costs more than it finds.
  for (const m of text.slice(0, PLACE_CHARS_SCANNED).matchAll(CLAUSE)) {
    if (!PLACE_CHARS.test(m[0])) continue;
    for (const place of extractLocations(m[0], segmenter().tag(m[0], true))) {
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
