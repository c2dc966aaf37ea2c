/**
 * Characters XML 1.0 cannot carry at all, not even as references: C0 controls other than tab,
 * newline and carriage return, lone UTF-16 surrogates, U+FFFE and U+FFFF. One such character in a
 * stored report would make every XML answer that lists it unreadable, so Open311 input drops them
 * and every Open311 answer drops them again (text that came in by another channel).
 */
const illegal = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const stripXmlIllegal = (s: string): string => s.replace(illegal, '');
