const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * Lengths are counted in UTF-16 units, never fewer than WeChat counts, and text is
 * only ever cut between graphemes: no half surrogate pair, no emoji split from its
 * modifier, no base letter split from its accent.
 */
function* graphemes(text: string): Generator<string> {
  for (const { segment } of segmenter.segment(text)) yield segment;
}

/** One line, single spaces: template fields show one line and reject control characters. */
export function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** At most `max` units, ending in `ellipsis` when something was cut. */
export function truncate(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  let out = '';
  for (const g of graphemes(text)) {
    if (out.length + g.length > room) break;
    out += g;
  }
  return out.trimEnd() + ellipsis;
}

/** Consecutive pieces of at most `max` units each, cut between graphemes. */
export function chunk(text: string, max: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const g of graphemes(text)) {
    if (piece.length + g.length > max) {
      pieces.push(piece);
      piece = '';
    }
    piece += g;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
