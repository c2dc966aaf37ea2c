import type { TaggedWord } from '@node-rs/jieba';
import { segmenter } from '../text/segment.js';

// Words that end a place name. Longer suffixes first, so 大街 wins over 街.
const HEADS = [
  '地铁站',
  '公交站',
  '火车站',
  '汽车站',
  '高铁站',
  '客运站',
  '加油站',
  '菜市场',
  '农贸市场',
  '停车场',
  '幼儿园',
  '卫生院',
  '体育馆',
  '图书馆',
  '派出所',
  '写字楼',
  '电影院',
  '便利店',
  '十字路口',
  '办事处',
  '居委会',
  '村委会',
  '大道',
  '大街',
  '胡同',
  '小区',
  '花园',
  '公寓',
  '大厦',
  '广场',
  '新村',
  '家园',
  '山庄',
  '社区',
  '街道',
  '超市',
  '商场',
  '市场',
  '商店',
  '小学',
  '中学',
  '大学',
  '学校',
  '医院',
  '诊所',
  '银行',
  '公园',
  '车站',
  '酒店',
  '宾馆',
  '饭店',
  '餐厅',
  '酒楼',
  '大楼',
  '工地',
  '码头',
  '公馆',
  '华庭',
  '中心',
  '立交',
  '隧道',
  '路',
  '街',
  '巷',
  '弄',
  '苑',
  '园',
  '府',
  '庭',
  '村',
  '镇',
  '乡',
  '区',
  '县',
  '市',
  '城',
  '站',
  '桥',
  '厂',
];

// Heads that are a place by themselves; the others need a name (幸福路, not 路).
const STANDALONE = new Set(['地铁站', '公交站', '火车站', '汽车站', '高铁站', '客运站']);

// Words that end in a head but are not places (马路上, 逛街, 城市, 网站, 政府…).
const NOT_PLACES = new Set(
  (
    '马路 道路 公路 大路 小路 一路 走路 思路 出路 线路 电路 网路 水路 套路 门路 退路 半路 上路 迷路 让路 修路 挖路 ' +
    '堵路 占路 带路 拦路 过路 上街 逛街 满街 沿街 临街 当街 扫街 城区 市区 地区 辖区 园区 景区 校区 片区 山区 ' +
    '本区 该区 我区 全区 城市 本市 我市 该市 全市 上市 校园 菜园 果园 乐园 进城 全城 网站 站站 农村 乡村 全村 ' +
    '本村 我村 乡镇 城镇 政府 学府 过桥 工厂 全县 本县 该县 中心 市中心 小区 社区 街道 花园 公园 学校 医院 市场 ' +
    '超市 商场 车站 工地 大楼'
  ).split(' '),
);

// jieba tags a name may be built from: nouns, place and organisation names, adjectives
// (幸福路), distinguishing words, numerals (第一人民医院), Latin (SK大厦), idioms, and
// words the tagger does not know (翠苑).
const NAME_TAGS = /^(?:n|nr|nrt|nrfg|ns|nt|nz|ng|a|an|b|j|l|m|eng|vn|s|i|z|x)$/;
const NOT_NAMES = new Set(
  '附近 旁边 对面 门口 这里 那里 这边 那边 楼下 楼上 家 我家 周边 周围 里面 外面 一个 这个 那个 有人 现在 今天 问题 情况'.split(
    ' ',
  ),
);

const NUMBER = '(?:[A-Za-z]?\\d+|[零一二两三四五六七八九十百]{1,4})';
// 3号楼2单元501室, 18号, 甲6号, 二期5栋, and exits like B口 / A出口 (kept only next to a place).
const UNIT_PART = `(?:[甲乙丙丁]?${NUMBER}(?:号楼|号院|号门|号|栋|幢|座|单元|室|楼|层|期|区|段))`;
const UNITS = new RegExp(`${UNIT_PART}+`, 'g');
const EXIT = new RegExp(`^(?:${NUMBER}|[A-Za-z])(?:号)?(?:出口|入口|口|门)`);
const POSITION =
  /^(?:门口|对面|旁边|附近|东侧|西侧|南侧|北侧|东门|西门|南门|北门|正门|后门|路口|交叉口|交汇处|十字路口|拐角|门前|出口|入口)/;
// A date written 3月18号, or 18号 said as a day (18号晚上), is not an address.
const TIME_AFTER = /^(?:晚上|早上|上午|下午|中午|凌晨|那天|当天|开始|以来|之前|以后|左右)/;

interface Span {
  start: number;
  end: number;
  /** Exits and positions only count when they touch a place. */
  weak?: boolean;
}

// Heads by their last character, so most words are dismissed with one lookup.
const HEADS_BY_LAST = new Map<string, string[]>();
for (const head of HEADS) {
  const last = head[head.length - 1];
  HEADS_BY_LAST.set(last, [...(HEADS_BY_LAST.get(last) ?? []), head]);
}

/** Every head word. */
export function placeHeads(): string[] {
  return [...HEADS];
}

/** The last characters of every head word. */
export function placeHeadEnds(): string[] {
  return [...HEADS_BY_LAST.keys()];
}

function headOf(word: string): string | undefined {
  return HEADS_BY_LAST.get(word[word.length - 1])?.find((h) => word.endsWith(h));
}

function isName(word: TaggedWord): boolean {
  if (NOT_NAMES.has(word.word)) return false;
  return NAME_TAGS.test(word.tag) && /^[\p{Script=Han}A-Za-z0-9]+$/u.test(word.word);
}

function headSpans(words: readonly TaggedWord[], offsets: number[]): Span[] {
  const spans: Span[] = [];
  words.forEach((word, i) => {
    const head = headOf(word.word);
    if (!head) return;
    if (NOT_PLACES.has(word.word) && !(i > 0 && isName(words[i - 1]))) return;
    // 幸福路 carries its own name; 马路, 逛街 and a bare 路 need a name before them.
    const named = word.word.length - head.length >= 2;
    let first = i;
    while (first > 0 && i - first < 3 && isName(words[first - 1])) first--;
    // 解放/西路: jieba tags many road names as verbs; right before a bare head they are the name.
    if (first === i && !named && i > 0 && words[i - 1].tag === 'v' && words[i - 1].word.length >= 2) first--;
    if (!named && first === i && !STANDALONE.has(word.word)) return;
    spans.push({ start: offsets[first], end: offsets[i] + word.word.length });
  });
  return spans;
}

function unitSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(UNITS)) {
    const end = m.index + m[0].length;
    if (text[m.index - 1] === '月' || TIME_AFTER.test(text.slice(end, end + 4))) continue;
    // A bare 3楼 or 5层 is more often "the third floor" of the caller's own building.
    const weak = /^[^号栋幢座单元室期]*[楼层区段]$/.test(m[0]);
    spans.push({ start: m.index, end, weak });
  }
  return spans;
}

/** Grows each span over what directly follows it: an exit (B口) or a position (门口, 对面). */
function extend(text: string, span: Span): Span {
  let end = span.end;
  for (const pattern of [EXIT, POSITION]) {
    const m = pattern.exec(text.slice(end, end + 8));
    if (m) end += m[0].length;
  }
  return { ...span, end };
}

/**
 * Place phrases in order of appearance: roads and streets, 小区/花园/苑, building,
 * unit and door numbers, landmarks (XX超市, XX小学, 地铁站B口, 公交站). Adjacent
 * pieces form one phrase (人民路128号华联超市门口).
 */
export function extractLocations(text: string, tagged?: readonly TaggedWord[]): string[] {
  if (!text) return [];
  const words = tagged ?? segmenter().tag(text, true);
  const offsets: number[] = [];
  let at = 0;
  for (const w of words) {
    offsets.push(at);
    at += w.word.length;
  }
  const spans = [...headSpans(words, offsets), ...unitSpans(text)]
    .map((s) => extend(text, s))
    .sort((a, b) => a.start - b.start || b.end - a.end);

  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
      last.weak = last.weak && span.weak;
    } else {
      merged.push({ ...span });
    }
  }
  const out: string[] = [];
  for (const span of merged) {
    if (span.weak) continue;
    const phrase = text.slice(span.start, span.end);
    if (!out.includes(phrase)) out.push(phrase);
  }
  return out;
}
