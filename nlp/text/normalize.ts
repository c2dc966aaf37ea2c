// Without the u flag the pattern sees UTF-16 code units, so it finds unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /[\p{Cc}\p{Cf}\u{FFFD}\u2028\u2029]/gu;
const SPACES = /\s+/gu;

/** String.prototype.toWellFormed, which the ES2022 typings lack: lone surrogates become U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

// Removes what would break segmentation or hashing downstream: lone surrogates,
// control and format characters, and the full-width forms a phone keyboard produces
// (NFKC: ３号楼 → 3号楼, １３８ → 138).
export function normalizeText(input: string): string {
  if (typeof input !== 'string') return '';
  return wellFormed(input).normalize('NFKC').replace(CONTROL, ' ').replace(SPACES, ' ').trim();
}

export const HAN_GLOBAL = /\p{Script=Han}/gu;
