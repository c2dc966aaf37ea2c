/**
 * Letter boilerplate that says nothing about the matter: salutations (尊敬的X书记：您好！),
 * officials' titles and names, thanks and closing formulas (此致敬礼, 望早日解决), and
 * self-introductions (我是……小区的业主). Real letters carry a lot of it, and a model
 * trained on our short reports learnt that such words mean 非城管. Removed before
 * features are taken; a request naming a specific agency (请税务局查一下) stays, as
 * it is evidence.
 *
 * Works on normalised text (NFKC: full-width ！，：？ are ASCII).
 */

const TITLES = '书记|市长|县长|区长|镇长|乡长|局长|厅长|部长|处长|主任|主席|省长|领导|同志|工作人员|政府|父母官|公仆';

const PATTERNS: RegExp[] = [
  // 尊敬的胡书记：您好！ 敬爱的领导，你好 各位领导大家好 领导们好
  new RegExp(
    `(?:(?:尊敬|敬爱|亲爱)的)?(?:各位|各级)?(?:相关|有关)?[\\p{Script=Han}]{0,4}?(?:${TITLES})(?:们)?\\s*[:,，]?\\s*(?:大家|您们|你们|您|你)?好[!,.。:~]*`,
    'gu',
  ),
  new RegExp(`(?:尊敬|敬爱|亲爱)的[\\p{Script=Han}]{0,6}?(?:${TITLES})(?:们)?\\s*[:,!]?`, 'gu'),
  /(?:^|(?<=[。!?,:;\s]))(?:喂|哎|诶|嗯|呃)*[,\s]*(?:您|你)好(?:啊|呀)?[!,.。:~]*/gu,
  /(?:^|(?<=[。!?,:;\s]))[\p{Script=Han}]{1,2}(?:书记|市长|县长|区长|局长)\s*[:,]/gu,
  // 感谢您百忙之中阅读我的来信 / 谢谢领导 / 非常感谢
  /(?:非常|十分|万分)?(?:感谢|谢谢)(?:您|你|领导|各位领导|政府|各位)?(?:们)?(?:在)?(?:百忙之中)?(?:抽空)?(?:阅读|查看|关注|看|回复)?(?:我的|我们的|本)?(?:来信|留言|此信|信件)?[!。,.~]*/gu,
  /此致\s*敬礼[!。]*/gu,
  /(?:盼|恳请|期待|急盼|静候)(?:您的|你的|领导的)?(?:回复|答复|回音|佳音)[!。,]*/gu,
  // 望早日解决 / 希望有关部门尽快处理 / 请领导重视: generic addressees only
  /(?:望|希望|恳请|恳求|请求|请|求)(?:各位|各级)?(?:相关|有关)?(?:领导|部门|政府|上级)?(?:们)?(?:能|能够|给予|尽快|早日|及时|高度|予以|帮忙|帮助|帮我们)*(?:解决|处理|答复|回复|重视|关注|过问|调查|落实)(?:为盼|为谢|此事|一下|这个问题|此问题)?[!。,]*/gu,
  // 我是A市A3区XX小区的业主 / 本人系某村村民 / 我们是一名普通市民
  /(?:我|我们|本人)(?:是|系|作为)(?:一名|一位|一个)?[^,。!?]{0,30}?(?:的)?(?:业主|居民|村民|市民|住户|租户|组民|老百姓|群众|公民|网友)(?:之一)?[,。]?/gu,
];

// Spoken fillers: nothing but the wish to speak (我想反映个事情就是那个).
const FILLERS =
  /(?:喂|哎|诶|嗯|呃|啊|呀|哦|那个|这个|就是|然后|我想|我要|我们想|想|要|反映|投诉|举报|咨询|请问|问一下|一下|个|一个|事情|事儿|事|问题|情况|麻烦|帮忙|您|你|你们|我|我们|好|的|了|吗|呢|吧|有|是|说|跟|给|那|这|谢谢|下)/gu;

// Boilerplate sits at a letter's start and end; the middle of a long one is left as is.
const EDGE = 160;

function stripAll(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) out = out.replace(pattern, ' ');
  return out;
}

/** The text without letter boilerplate; the text itself when nothing is left. */
export function stripBoilerplate(text: string): string {
  let out =
    text.length <= 3 * EDGE
      ? stripAll(text)
      : `${stripAll(text.slice(0, EDGE))}${text.slice(EDGE, -EDGE)}${stripAll(text.slice(-EDGE))}`;
  out = out
    .replace(/\s+/g, ' ')
    .replace(/^[\s,。!:;]+/u, '')
    .trim();
  return /\p{Script=Han}/u.test(out) ? out : text;
}

/**
 * True when, once greetings and spoken fillers are gone, fewer than two Chinese
 * characters remain: the caller has not said what the matter is yet.
 */
export function isVague(text: string): boolean {
  // Forty characters of greetings and fillers do not happen; skip the regex on real reports.
  if (text.length > 40) return false;
  const rest = text.replace(FILLERS, '').match(/\p{Script=Han}/gu) ?? [];
  return rest.length < 2;
}

/**
 * The title, or the first sentence: TipDM letters are "subject。body", and a report
 * usually says what is wrong before it says where and since when.
 */
export function leadSentence(text: string): string {
  const m = /^[^。!?;\n]{2,80}/u.exec(text);
  return m ? m[0] : '';
}
