const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * Decodes an event-plain header value (FreeSWITCH's switch_url_encode output). Unlike
 * decodeURIComponent it never throws: a stray % or a UTF-8 sequence cut short (a long
 * Chinese caller name truncated by a gateway) decodes to U+FFFD instead of an exception.
 */
export function decodeHeaderValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    const bytes: number[] = [];
    for (let i = 0; i < value.length; i++) {
      const hex = value.slice(i + 1, i + 3);
      if (value[i] === '%' && HEX.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(value[i], 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
}
