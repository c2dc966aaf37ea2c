import type { TaggedWord } from '@node-rs/jieba';
import { normalizeText, wellFormed } from '../text/normalize.js';
import { segmenter } from '../text/segment.js';
import { extractLocations } from './locations.js';
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

/** For callers that have already normalised and tagged the text (the classifier does both once). */
export function entitiesOf(text: string, tagged: readonly TaggedWord[]): Entities {
  if (!text) return { locations: [], times: [], phones: [] };
  return { locations: extractLocations(text, tagged), times: extractTimes(text), phones: extractPhones(text) };
}
