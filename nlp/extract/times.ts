const NUM = '(?:\\d{1,4}|好几|[零〇一二两三四五六七八九十百几半]{1,4})';
const WEEKDAY = '[一二三四五六日天1-7]';

// Each alternative is one piece of a time phrase; adjacent pieces form one phrase
// ("每天" + "晚上" + "十点" + "以后").
const PIECES = [
  `\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}`,
  `\\d{1,2}:\\d{2}`,
  `(?:\\d{2,4}|[〇零一二三四五六七八九]{2,4})年`,
  `${NUM}月(?:${NUM}[日号])?`,
  `(?:${NUM}|[上下这本])(?:个)?(?:多)?(?:星期|礼拜|周)(?:${WEEKDAY})?`,
  `(?:星期|礼拜|周)${WEEKDAY}`,
  `(?:连续|持续|已经|长达|整整|将近|快|近)${NUM}(?:个)?(?:多)?(?:天|晚|晚上|夜|周|星期|个?月|年|小时|钟头)(?:了|多|以来)?`,
  `${NUM}(?:个)?多?(?:天|晚|夜|周|星期|个?月|年|小时|钟头)(?=了|多|以来|前|后|之前|之后|以前|以后|左右)`,
  `${NUM}(?:点|时)(?:半|钟|整|一刻|三刻|多|${NUM}分?)?`,
  '大前天|前天|昨天|今天|明天|后天|昨日|今日|明日|当天|那天|每天|天天|每日|每晚|每早|每周|每月|每年|平时|周末|工作日|节假日',
  '昨晚|今晚|明晚|昨夜|今夜|今早|昨早|明早|今晨|深夜|半夜|凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里|夜间|晚间|白天|午休|午后',
  '最近|近期|近日|这几天|这两天|前几天|前段时间|这段时间|去年|今年|明年|上个月|这个月|本月|月初|月底|年底|年初',
];
const QUALIFIER = '(?:以后|之后|以前|之前|前后|左右|开始|起|过后|多|以来|了)';
const PIECE = `(?:${PIECES.join('|')})`;
const PHRASE = new RegExp(`${PIECE}(?:\\s?(?:到|至|-|~|—|的)?\\s?${PIECE})*${QUALIFIER}?`, 'g');

// "一点" and "两点" are as often "a little" (有一点脏) as a time; alone they are dropped.
const AMBIGUOUS = /^(?:一点|两点|几点|点|一天|一周|一年)$/;

/** Time phrases in order of appearance: 今天早上七点, 昨晚, 每天晚上十点以后, 连续三天. */
export function extractTimes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PHRASE)) {
    const phrase = m[0].replace(/(?:的|了)$/, '').trim();
    if (!phrase || AMBIGUOUS.test(phrase)) continue;
    if (!out.includes(phrase)) out.push(phrase);
  }
  return out;
}
