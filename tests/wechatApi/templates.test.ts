import { describe, expect, it } from 'vitest';
import {
  buildTemplateData,
  characterStringValue,
  phraseValue,
  TEMPLATE_SETTINGS,
  TEMPLATES,
  thingValue,
  timeValue,
  type CaseNotice,
} from '../../server/wechatApi/templates.js';

function buildNotice(overrides: Partial<CaseNotice> = {}): CaseNotice {
  return {
    caseNo: 'HZ2026050100012',
    categoryName: '暴露垃圾',
    address: '文三路 138 号',
    state: '受理',
    at: new Date('2026-05-01T02:07:00Z'),
    ...overrides,
  };
}

const hasLoneSurrogate = (s: string) => /[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));

describe('template field rules', () => {
  it('cuts thing to 20 characters with an ellipsis, and leaves short text alone', () => {
    expect(thingValue('井盖缺失')).toBe('井盖缺失');
    const long = thingValue('浙江省杭州市西湖区文三路与学院路交叉口东北角公交站台旁');
    expect(long).toHaveLength(20);
    expect(long).toBe('浙江省杭州市西湖区文三路与学院路交叉口…');
    expect(thingValue('一二三四五六七八九十一二三四五六七八九十')).toHaveLength(20);
  });

  it('never breaks a surrogate pair or an emoji sequence when cutting', () => {
    for (let pad = 0; pad < 4; pad++) {
      const value = thingValue(`${'路'.repeat(15 + pad)}😀👨‍👩‍👧𠀀🏳️‍🌈路灯`);
      expect(value.length).toBeLessThanOrEqual(20);
      expect(hasLoneSurrogate(value)).toBe(false);
      expect(value.endsWith('…')).toBe(true);
    }
    expect(thingValue('𠀀'.repeat(15))).toBe(`${'𠀀'.repeat(9)}…`);
  });

  it('puts thing on one line and falls back when empty', () => {
    expect(thingValue('井盖\n缺失\t\t严重')).toBe('井盖 缺失 严重');
    expect(thingValue('  \n', '无')).toBe('无');
  });

  it('keeps character_string to 32 letters, digits and symbols', () => {
    expect(characterStringValue('HZ-2026-05-01-0000000000000012345678 补')).toBe('HZ-2026-05-01-000000000000001234');
    expect(characterStringValue('HZ 2026 001')).toBe('HZ2026001');
  });

  it('keeps phrase to 5 Chinese characters and nothing else', () => {
    expect(phraseValue('已受理')).toBe('已受理');
    expect(phraseValue('处置中（超期）')).toBe('处置中超期');
    expect(phraseValue('dispatched')).toBe('');
    expect(phraseValue('一二三四五六七')).toBe('一二三四五');
  });

  it('writes time as YYYY-MM-DD HH:mm in Beijing time', () => {
    expect(timeValue(new Date('2026-05-01T02:07:59Z'))).toBe('2026-05-01 10:07');
    expect(timeValue(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30');
  });
});

describe('case templates', () => {
  it('builds every template inside the limits', () => {
    for (const kind of Object.keys(TEMPLATES) as (keyof typeof TEMPLATES)[]) {
      const data = buildTemplateData(
        kind,
        buildNotice({ address: '很长的地址'.repeat(10), note: '处置说明'.repeat(10) }),
      );
      for (const [key, value] of Object.entries(data)) {
        if (key.startsWith('thing')) expect(value.length, key).toBeLessThanOrEqual(20);
        if (key.startsWith('character_string')) expect(value).toMatch(/^[\x21-\x7e]{1,32}$/);
        if (key.startsWith('phrase')) expect(value).toMatch(/^\p{Script=Han}{1,5}$/u);
        if (key.startsWith('time')) expect(value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      }
    }
  });

  it('shows the case state, or the template status when the state is not a Chinese label', () => {
    expect(buildTemplateData('dispatched', buildNotice({ state: '派遣' })).phrase4).toBe('派遣');
    expect(buildTemplateData('dispatched', buildNotice({ state: 'dispatched' })).phrase4).toBe('已派遣');
    expect(buildTemplateData('survey', buildNotice({ state: '' })).phrase4).toBe('待评价');
  });

  it('uses the note when there is one and the template remark otherwise', () => {
    expect(buildTemplateData('resolved', buildNotice({ note: '已清运' })).thing6).toBe('已清运');
    expect(buildTemplateData('resolved', buildNotice()).thing6).toBe(TEMPLATES.resolved.remark);
    expect(buildTemplateData('registered', buildNotice({ address: '' })).thing3).toBe('详见案件详情');
  });

  it('keeps the zh-CN wording itself inside the limits', () => {
    for (const spec of Object.values(TEMPLATES)) {
      expect(spec.remark.length).toBeLessThanOrEqual(20);
      expect(spec.status).toMatch(/^\p{Script=Han}{1,5}$/u);
    }
  });

  it('names the settings holding the template ids', () => {
    expect(Object.values(TEMPLATE_SETTINGS)).toEqual([
      'WECHAT_TEMPLATE_REGISTERED',
      'WECHAT_TEMPLATE_DISPATCHED',
      'WECHAT_TEMPLATE_RESOLVED',
      'WECHAT_TEMPLATE_SURVEY',
    ]);
  });
});
