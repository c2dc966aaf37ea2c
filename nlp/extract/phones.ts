// Mobile numbers may be written 13812345678, 138 1234 5678, 138-1234-5678 or +86 …;
// landlines need an area code (0xx / 0xxx), else any 7-8 digit figure would match.
const MOBILE = /(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const LANDLINE =
  /(?<!\d)[(（]?(0\d{2,3})[)）]?[\s-]?([2-9]\d{2,3})[\s-]?(\d{4})(?:\s?(?:-|转|ext\.?)\s?(\d{1,5}))?(?!\d)/g;
const SERVICE = /(?<!\d)([48]00)[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)/g;

interface Found {
  at: number;
  end: number;
  value: string;
}

function overlaps(found: Found[], at: number, end: number): boolean {
  return found.some((f) => at < f.end && f.at < end);
}

/**
 * Phone numbers in order of appearance, written the way an agent dials them:
 * mobiles as 11 digits, landlines as 区号-号码[-分机], 400/800 numbers as 400-xxx-xxxx.
 */
export function extractPhones(text: string): string[] {
  const found: Found[] = [];
  const collect = (pattern: RegExp, format: (m: RegExpExecArray) => string) => {
    for (const m of text.matchAll(pattern)) {
      const end = m.index + m[0].length;
      if (!overlaps(found, m.index, end)) found.push({ at: m.index, end, value: format(m) });
    }
  };
  collect(MOBILE, (m) => m[1] + m[2] + m[3]);
  collect(SERVICE, (m) => `${m[1]}-${m[2]}-${m[3]}`);
  collect(LANDLINE, (m) => `${m[1]}-${m[2]}${m[3]}${m[4] ? `-${m[4]}` : ''}`);
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.value))];
}
