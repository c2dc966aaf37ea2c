import { describe, expect, it } from 'vitest';
import {
  isConfirm,
  isGreeting,
  isModify,
  parseCommand,
  parseSurveyAnswer,
  saysNoPhoto,
  stripCorrection,
} from '../../server/chatbot/intents.js';

describe('parseSurveyAnswer', () => {
  it.each([
    ['1', '满意'],
    ['2', '基本满意'],
    ['3', '不满意'],
    ['１', '满意'],
    ['三', '不满意'],
    ['满意', '满意'],
    ['非常满意！', '满意'],
    ['很满意', '满意'],
    ['挺好的', '满意'],
    ['不错不错', '满意'],
    ['👍', '满意'],
    ['基本满意', '基本满意'],
    ['还行吧', '基本满意'],
    ['一般', '基本满意'],
    ['一般般', '基本满意'],
    ['凑合', '基本满意'],
    ['还可以', '基本满意'],
    ['马马虎虎', '基本满意'],
    ['不满意', '不满意'],
    ['不太满意', '不满意'],
    ['很不满意', '不满意'],
    ['非常不满意！！', '不满意'],
    ['没解决', '不满意'],
    ['根本没有解决', '不满意'],
    ['不怎么样', '不满意'],
    ['拒绝回访', '拒绝回访'],
    ['不要再打扰我了', '拒绝回访'],
  ])('reads %s as %s', (text, result) => {
    expect(parseSurveyAnswer(text)?.result).toBe(result);
  });

  it.each(['', '你好', '好的', '谢谢', '2026112100001', '3号楼门口的垃圾还在', '12', '查询'])(
    'does not guess at %j',
    (text) => {
      expect(parseSurveyAnswer(text)).toBeNull();
    },
  );

  it('takes a thumbs-up only as an answer to a question put in chat', () => {
    expect(parseSurveyAnswer('👍')).toEqual({ result: '满意', comment: null, onlyIfAsked: true });
  });

  it('keeps what else the citizen said as the comment, and knows a digit from a word', () => {
    expect(parseSurveyAnswer('3，垃圾还在那里没人管')).toEqual({
      result: '不满意',
      comment: '垃圾还在那里没人管',
      onlyIfAsked: true,
    });
    expect(parseSurveyAnswer('不满意，井盖还是松的')).toEqual({
      result: '不满意',
      comment: '不满意，井盖还是松的',
      onlyIfAsked: false,
    });
    expect(parseSurveyAnswer('非常满意！')).toEqual({ result: '满意', comment: null, onlyIfAsked: false });
    expect(parseSurveyAnswer('1')).toEqual({ result: '满意', comment: null, onlyIfAsked: true });
  });
});

describe('parseCommand', () => {
  it.each([
    ['查询 2026112100001', { type: 'query', caseNo: '2026112100001' }],
    ['查询2026112100001', { type: 'query', caseNo: '2026112100001' }],
    ['２０２６１１２１００００１', { type: 'query', caseNo: '2026112100001' }],
    ['我的上报', { type: 'mine' }],
    ['查询', { type: 'mine' }],
    ['人工', { type: 'handover' }],
    ['转人工', { type: 'handover' }],
    ['我要人工客服', { type: 'handover' }],
    ['取消', { type: 'cancel' }],
    ['算了吧', { type: 'cancel' }],
    ['帮助', { type: 'help' }],
  ])('%s', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each(['东湖路有人摆摊', '人工湖边上有垃圾', '查询 12345', '1'])('leaves %s to the conversation', (text) => {
    expect(parseCommand(text)).toBeNull();
  });
});

describe('yes, no, corrections', () => {
  it('knows a confirmation and a request to change', () => {
    for (const t of ['1', '确认', '好的呀', '没问题', 'OK']) expect(isConfirm(t)).toBe(true);
    for (const t of ['2', '修改', '不对', '错了']) expect(isModify(t)).toBe(true);
    expect(isConfirm('2')).toBe(false);
    expect(isModify('不对，是在学院路')).toBe(false);
  });

  it('takes the correction out of "不对，是在学院路"', () => {
    expect(stripCorrection('不对，是在学院路')).toEqual({ corrected: true, rest: '学院路' });
    expect(stripCorrection('不是，应该是店外经营')).toEqual({ corrected: true, rest: '店外经营' });
    expect(stripCorrection('错了 改成望江小区门口')).toEqual({ corrected: true, rest: '望江小区门口' });
    expect(stripCorrection('学院路')).toEqual({ corrected: false, rest: '学院路' });
  });

  it('knows greetings and "no photo"', () => {
    expect(isGreeting('您好！')).toBe(true);
    expect(isGreeting('在吗？')).toBe(true);
    expect(isGreeting('你好，东湖路有人摆摊')).toBe(false);
    expect(saysNoPhoto('没有照片')).toBe(true);
    expect(saysNoPhoto('拍不了')).toBe(true);
  });
});
