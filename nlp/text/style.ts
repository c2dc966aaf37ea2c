/**
 * The style of a message, by rule, for figures by style: a letter to an official, a
 * short written report, a spoken (hotline) note, or a chat line. Works on normalised text.
 */
export type Style = 'letter' | 'report' | 'spoken' | 'chat';

export const STYLES: readonly Style[] = ['letter', 'report', 'spoken', 'chat'];

const SPOKEN_START = /^(?:喂|哎|诶|嗯|呃|那个|就是|我跟你说|跟你们说)/u;
const SPOKEN_MARKS = /(?:那个|就是说|嗯|呃|啊|哎|然后呢|对吧|……|\.\.\.)/gu;
const SALUTATION = /(?:尊敬的|敬爱的|书记|市长|局长|领导)[^。]{0,6}(?:您好|你好)|此致|敬礼|感谢您|您好[!,]/u;

export function styleOf(text: string): Style {
  const spokenMarks = text.match(SPOKEN_MARKS)?.length ?? 0;
  if (SPOKEN_START.test(text) || spokenMarks >= 2) return 'spoken';
  if (text.length >= 150 || SALUTATION.test(text)) return 'letter';
  if (text.length <= 40 && !/。/u.test(text)) return 'chat';
  return 'report';
}
