import * as OpenCC from 'opencc-js/t2cn';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

const digits: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 十二 → 12, 三百零五 → 305, 一二三 → 123: house numbers as citizens say and type them. */
export function chineseNumber(s: string): number | null {
  if (!/^[零〇一二两三四五六七八九十百千]+$/.test(s)) return null;
  if (!/[十百千]/.test(s)) return Number([...s].map((c) => digits[c]).join(''));
  let total = 0;
  let current = 0;
  for (const c of s) {
    if (c in digits) current = digits[c];
    else {
      const unit = c === '十' ? 10 : c === '百' ? 100 : 1000;
      total += (current || 1) * unit;
      current = 0;
    }
  }
  return total + current;
}

/**
 * One spelling for matching: simplified characters, half-width letters and digits (NFKC), no spaces
 * or punctuation, Chinese numerals before 号/弄/巷/栋 as digits, and the 號/衖/衕 variants folded.
 */
export function normalizeAddress(text: string): string {
  let s = toSimplified(text.normalize('NFKC')).toLowerCase();
  s = s.replace(/[衖]/g, '弄').replace(/[衕]/g, '同');
  s = s.replace(/[\s,，.。;；:：'"“”‘’()（）【】\[\]<>《》!！?？、·-]+/g, '');
  s = s.replace(/([零〇一二两三四五六七八九十百千]+)(?=[号弄巷栋幢])/g, (m: string) => String(chineseNumber(m) ?? m));
  return s;
}

/** Levenshtein distance, stopping early once it is above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Where `name` occurs in `text`, allowing `max` typos: the end index of the best window and its
 * distance, or null. Windows one shorter and one longer than the name catch a dropped or extra character.
 */
export function fuzzyFind(
  text: string,
  name: string,
  max: number,
): { start: number; end: number; distance: number } | null {
  const exact = text.indexOf(name);
  if (exact >= 0) return { start: exact, end: exact + name.length, distance: 0 };
  if (max <= 0) return null;
  let best: { start: number; end: number; distance: number } | null = null;
  for (let len = name.length - max; len <= name.length + max; len++) {
    if (len < 2) continue;
    for (let start = 0; start + len <= text.length; start++) {
      const d = editDistance(text.slice(start, start + len), name, max);
      if (d <= max && (!best || d < best.distance)) best = { start, end: start + len, distance: d };
    }
  }
  return best;
}
