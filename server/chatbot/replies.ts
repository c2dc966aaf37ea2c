import type { CaseStatus, SurveyResult, UnsupportedKind } from './types.js';

/**
 * Everything the chat bot says, in one place so it can be reviewed and reworded
 * without touching the conversation logic.
 */

const HOW_TO = [
  '反映问题：直接用文字描述，最好带上地点（如：东湖路18号门口有人占道摆摊），也可以发送位置和照片。',
  '查询进度：回复「我的上报」，或「查询」加案件号。',
  '转人工：回复「人工」。',
].join('\n');

export const replies = {
  youAreWelcome: '不客气！有需要随时发消息给我们。',
  welcome: `您好，这里是城市管理服务（城管热线）微信服务。\n${HOW_TO}`,
  help: HOW_TO,

  askDescription: '请用文字描述一下您遇到的问题，例如：东湖路18号门口有人占道摆摊。',
  askMoreDescription: '还没能判断是什么问题，请再具体描述一下：什么东西坏了，或者看到了什么情况？',
  gotPlaceAskDescription: (label: string) => `收到位置：${label}。请用文字描述一下您要反映的问题。`,
  gotPhotoAskDescription: '照片收到了。请用文字描述一下您要反映的问题，并告诉我们地点。',
  askPlace: (category: string | null) =>
    `${category ? `好的，您反映的是【${category}】问题。` : '好的。'}请问具体在哪里？可以发送微信位置，或者告诉我们路名、门牌号、小区名。`,
  placeNotFound: (label: string) =>
    `没能在本区找到「${label}」。请发送微信位置，或者写上附近的路名、小区名（如：东湖路、望江小区）。需要人工帮助请回复「人工」。`,
  placeMissing: '还需要知道问题在哪里：请发送微信位置，或者告诉我们路名、门牌号、小区名。',
  proposePlace: (label: string, community: string | null) =>
    `您说的是${label}${community ? `（${community}）` : ''}吗？回复1确认；不是的话，请发送正确的地址或微信位置。`,
  placeRejected: '好的。请告诉我们更准确的地址（路名加门牌号、小区名或两条路的交叉口），或者发送微信位置。',
  placeOutside: '这个位置不在本区的服务范围内。请发送问题所在的位置，或者告诉我们路名、小区名。',
  askPhoto: (category: string) => `【${category}】问题需要一张现场照片，方便工作人员核实。请拍一张照片发过来。`,
  photoStillRequired: (category: string) =>
    `【${category}】问题需要现场照片才能受理，请拍一张发过来；不方便拍照的话，可以回复「人工」由工作人员帮您处理。`,
  tooManyPhotos: '最多可以附 6 张照片，这张没有加入。',
  badImage: '这张图片没能打开，请重新拍一张发过来。',

  confirm: (category: string | null, place: string, nonCityManagement: boolean) =>
    `${category ? `您反映的是【${category}】问题` : '您反映的问题（具体类别由工作人员判断）'}，地点：${place}，确认提交请回复1，修改请回复2` +
    (nonCityManagement ? '\n（这类问题不属于城管职责，提交后我们会转交相关部门办理。）' : ''),
  confirmHint: '请回复1确认提交，回复2修改。',
  askEdit: '请问要改哪里？直接发送正确的地点（也可以发送位置），或者重新描述问题。',
  submitted: (caseNo: string) =>
    `提交成功！案件号：${caseNo}。我们会尽快处理，进展会在这里告诉您。查询进度请回复「查询 ${caseNo}」。`,
  merged: (caseNo: string) =>
    `提交成功！附近已有市民反映了同一问题，您的反映已并入案件 ${caseNo} 一并处理。查询进度请回复「查询 ${caseNo}」。`,
  busy: '抱歉，系统有点忙，刚才这条没能处理，请稍后再发一次；也可以回复「人工」。',
  cancelled: '好的，已取消本次上报。有需要随时发消息给我们。',
  nothingToCancel: '当前没有正在填写的上报。',

  caseStatus: (s: CaseStatus) =>
    `案件 ${s.caseNo}（${s.categoryName ?? '待分类'}）：${stateInWords(s)}。受理时间：${day(s.createdAt)}。`,
  caseNotFound: (caseNo: string) => `没有查到您上报的案件 ${caseNo}，请核对案件号。这里只能查询您本人上报的案件。`,
  noCases: '您还没有通过微信上报过问题。',
  myCases: (list: CaseStatus[]) =>
    [
      '您最近上报的问题：',
      ...list.map((s, i) => `${i + 1}. ${s.caseNo} ${s.categoryName ?? '待分类'}：${stateInWords(s)}`),
      '查询详情请回复「查询」加案件号。',
    ].join('\n'),

  handover: '正在为您转接人工客服，请稍候，工作人员会在这里回复您。',
  released: '人工服务已结束，感谢您的耐心。如需继续反映问题，直接发消息给我们即可。',

  unsupported: (what: UnsupportedKind) => {
    const tail = '请用文字描述问题，也可以发送照片和位置。';
    if (what === 'voice') return `暂时听不了语音，${tail}`;
    if (what === 'sticker') return `收到您的表情😊 如需反映问题，${tail}`;
    const name = { file: '文件', link: '链接', video: '视频', other: '这类消息' }[what];
    return `暂时无法处理${name}，${tail}`;
  },
  rateLimited: '您发送得太快了，请稍等一分钟再发。刚才有部分消息没有处理，如有遗漏请稍后再发一次。',
  contentRefused: '您发送的内容未通过内容安全检查，无法处理。请客观描述遇到的问题，谢谢配合。',

  surveyQuestion: (caseNo: string, title: string) =>
    `您好！您反映的「${title}」（案件号 ${caseNo}）已经处理完毕。请对处理结果进行评价：\n回复1 满意\n回复2 基本满意\n回复3 不满意`,
  surveyThanks: (result: SurveyResult) =>
    result === '不满意'
      ? '很抱歉处理结果没有让您满意，我们会安排重新处理。如需补充说明，请直接留言。'
      : result === '拒绝回访'
        ? '好的，今后不再就此事打扰您。'
        : '感谢您的评价！我们会继续努力。',
  surveyReprompt: '请回复数字：1 满意，2 基本满意，3 不满意。',
  surveyGone: '这次回访已经结束了，感谢您的关注。',
};

const STATE_WORDS: Record<string, (dept: string) => string> = {
  受理: () => '已受理，正在审核',
  立案: () => '已立案，正在安排处理部门',
  不予立案: () => '经审核不予立案',
  转办: () => '已转交相关部门办理',
  派遣: (d) => `已派给${d}，等待处理`,
  处置中: (d) => `${d}正在处理`,
  已处置: () => '已处理完毕，正在核查',
  核查: () => '已处理完毕，正在核查',
  回访: () => '已处理完毕，等待您的评价',
  结案: () => '已办结',
  挂账: () => '已登记，暂缓处理',
  已并案: () => '已与相同问题的反映合并办理',
};

export function stateInWords(s: Pick<CaseStatus, 'state' | 'departmentName'>): string {
  return STATE_WORDS[s.state]?.(s.departmentName ?? '处理部门') ?? s.state;
}

/** A place as the confirmation reads it: 东湖路18号门口, 学院路附近. */
export function placeInWords(label: string): string {
  return /(附近|旁边|对面|门口|路口|楼下|楼上|里面|内|边|处|侧|前|后)$/u.test(label) ? label : `${label}附近`;
}

function day(d: Date): string {
  const local = new Date(d.getTime() + 8 * 3600_000);
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}
