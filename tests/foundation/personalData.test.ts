import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../server/lib/personalData.js';

describe('masking personal data in free text', () => {
  it.each([
    ['我的电话13912345678，请回电', '我的电话139****5678，请回电'],
    ['座机0571-87654321', '座机0571-****4321'],
    ['+8613912345678', '+86139****5678'],
    ['身份证号330106199001011234', '身份证号3****************4'],
    ['身份证33010619900101123X。', '身份证3****************X。'],
    ['发到 wang.xiaoming@example.com 就行', '发到 w***@example.com 就行'],
  ])('%s → %s', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    '案件编号2026112100001',
    '文昌路88号3号楼2单元',
    '2026年11月22日晚上8点',
    '订单号12345678901234567890',
    '井盖直径60厘米',
  ])('leaves %s alone', (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });
});
