/**
 * The one masker of personal data a citizen may type into a report ("我电话 138 1234 5678", an ID
 * number, an e-mail), used wherever free text leaves the staff's hands: public answers (Open311,
 * the public lookup), department views of the citizen's words, and every log line.
 *
 * Numbers are matched as people write them: half- or full-width digits, a space, hyphen or dot
 * between groups, a +86 / 0086 prefix, an area code in brackets.
 */

/** A digit, half- or full-width. */
const D = '[0-9\uFF10-\uFF19]';
/** At most one separator between digit groups. */
const S = '[ \u3000\\-\uFF0D\u2010-\u2014.\u00B7]?';
/** Not part of a longer run of digits or letters (a hex id, an order number with letters). */
const NOT_BEFORE = '(?<![0-9\uFF10-\uFF19A-Za-z]-?)';
const NOT_AFTER = '(?!-?[0-9\uFF10-\uFF19A-Za-z])';

const anyDigits = (n: number) => Array.from({ length: n }, () => D).join(S);

/** 18-character resident ID numbers (the last may be X), and bank-card-like runs of the same shape. */
const RESIDENT_ID = new RegExp(
  `(?<![0-9\uFF10-\uFF19A-Za-z])(${D})${D}{5}${S}${D}{8}${S}${D}{3}(${D}|[XxＸｘ])(?![0-9\uFF10-\uFF19A-Za-z])`,
  'g',
);
/** Mainland mobiles: 1[3-9] and nine more digits, grouped any way, optionally after +86 / 0086. */
const MOBILE = new RegExp(
  `${NOT_BEFORE}((?:(?:\\+|\uFF0B|00)?(?:86|\uFF18\uFF16)${S})?)([1\uFF11]${S}[3-9\uFF13-\uFF19]${S}${D})${S}${anyDigits(4)}${S}(${anyDigits(4)})${NOT_AFTER}`,
  'g',
);
/** Landlines with an area code: 010-12345678, (0571) 8765 4321, 0755 8765432. */
const LANDLINE = new RegExp(
  `${NOT_BEFORE}([(\uFF08]?[0\uFF10]${D}{2,3}[)\uFF09]?)${S}${D}{3,4}${S}(${anyDigits(4)})${NOT_AFTER}`,
  'g',
);
/** Service numbers: 400-810-8888, 800 820 8820. */
const SERVICE = new RegExp(
  `${NOT_BEFORE}([48\uFF14\uFF18][0\uFF10]{2})${S}${D}{3}${S}(${anyDigits(4)})${NOT_AFTER}`,
  'g',
);
/** E-mail addresses: the first character of the name and the domain stay. */
const EMAIL = /([A-Za-z0-9])[A-Za-z0-9._%+-]*[@＠]([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

const halfWidth = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
const digitsOf = (s: string) => halfWidth(s).replace(/\D/g, '');

/** Phone numbers of every common writing, kept as 138****5678 / 0571-****4321 / 400****8888. */
export function scrubPhones(text: string): string {
  return text
    .replace(
      MOBILE,
      (_m, prefix: string, head: string, tail: string) => `${prefix}${digitsOf(head)}****${digitsOf(tail)}`,
    )
    .replace(SERVICE, (_m, head: string, tail: string) => `${digitsOf(head)}****${digitsOf(tail)}`)
    .replace(LANDLINE, (_m, area: string, tail: string) => `${digitsOf(area)}-****${digitsOf(tail)}`);
}

/** Phones, ID numbers and e-mail addresses. */
export function maskPersonalData(text: string): string {
  return scrubPhones(
    text
      .replace(
        RESIDENT_ID,
        (_m, first: string, last: string) => `${halfWidth(first)}****************${halfWidth(last)}`,
      )
      .replace(EMAIL, '$1***@$2'),
  );
}
