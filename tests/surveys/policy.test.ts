import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../server/cases/calendar.js';
import { calendarFrom } from '../../server/services.js';
import { loadConfig } from '../../server/config.js';
import { isCallTime, nextCallTime, parseCallHours } from '../../server/surveys/callingHours.js';
import { channelSequence, nextChannel, type CitizenFacts, type Reach } from '../../server/surveys/channels.js';
import { parseChannelOrder } from '../../server/surveys/policy.js';
import { testEnv } from '../helpers/context.js';

const at = (local: string) => new Date(`${local}+08:00`);
const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const hours = parseCallHours('09:00-12:00,14:00-20:00');
const next = (from: string, cal = defaultCalendar) => local(nextCallTime(at(from), hours, cal));

describe('calling hours (Asia/Shanghai, fixed clock)', () => {
  it('parses windows and refuses malformed or overlapping ones', () => {
    expect(hours).toEqual([
      [540, 720],
      [840, 1200],
    ]);
    expect(parseCallHours('14:00-20:00, 09:00-12:00')).toEqual(hours);
    expect(parseCallHours('00:00-24:00')).toEqual([[0, 1440]]);
    for (const bad of ['9-12', '12:00-09:00', '09:00-12:00,11:00-13:00', '09:60-10:00', '', '08:00-25:00']) {
      expect(() => parseCallHours(bad), bad).toThrow();
    }
  });

  it('calls inside the windows only, the end excluded', () => {
    expect(isCallTime(at('2026-11-18T09:00'), hours, defaultCalendar)).toBe(true);
    expect(isCallTime(at('2026-11-18T11:59'), hours, defaultCalendar)).toBe(true);
    expect(isCallTime(at('2026-11-18T12:00'), hours, defaultCalendar)).toBe(false);
    expect(isCallTime(at('2026-11-18T20:00'), hours, defaultCalendar)).toBe(false);
    expect(isCallTime(at('2026-11-18T08:59'), hours, defaultCalendar)).toBe(false);
  });

  it('waits out lunch and the night', () => {
    expect(next('2026-11-18T10:15')).toBe('2026-11-18 10:15');
    expect(next('2026-11-18T12:30')).toBe('2026-11-18 14:00');
    expect(next('2026-11-18T21:30')).toBe('2026-11-19 09:00');
    // After midnight (UTC date already the next day in Beijing terms is no trap).
    expect(next('2026-11-19T02:00')).toBe('2026-11-19 09:00');
    expect(next('2026-11-18T07:59')).toBe('2026-11-18 09:00');
  });

  it('calls on weekends but not on public holidays', () => {
    expect(next('2026-11-21T10:00')).toBe('2026-11-21 10:00'); // Saturday
    // 30 Sep 19:30 plus the 2 h retry interval is night; 1–7 Oct is 国庆: the next call is 8 Oct.
    expect(next('2026-09-30T21:30')).toBe('2026-10-08 09:00');
    expect(next('2026-10-03T10:00')).toBe('2026-10-08 09:00');
    // 调休 working days change nothing for calls: 10 Oct (Saturday) is callable anyway.
    expect(next('2026-10-10T10:00')).toBe('2026-10-10 10:00');
  });

  it('takes extra holidays from CALENDAR_HOLIDAYS', () => {
    const cal = calendarFrom(loadConfig(testEnv({ CALENDAR_HOLIDAYS: '2026-11-19,2026-11-20' })));
    expect(next('2026-11-18T21:30', cal)).toBe('2026-11-21 09:00');
    expect(isCallTime(at('2026-11-19T10:00'), hours, cal)).toBe(false);
  });

  it('stops start-up on a bad SURVEY_CALL_HOURS or SURVEY_CHANNEL_ORDER', () => {
    expect(() => loadConfig(testEnv({ SURVEY_CALL_HOURS: '9 to 5' }))).toThrow(/SURVEY_CALL_HOURS/);
    expect(() => loadConfig(testEnv({ SURVEY_CHANNEL_ORDER: 'phone,fax' }))).toThrow(/SURVEY_CHANNEL_ORDER/);
    expect(() => loadConfig(testEnv({ SURVEY_CHANNEL_ORDER: 'phone,phone' }))).toThrow(/SURVEY_CHANNEL_ORDER/);
    expect(loadConfig(testEnv()).SURVEY_MAX_ATTEMPTS).toBe(3);
  });
});

describe('survey channel choice', () => {
  const order = parseChannelOrder('phone,miniprogram,chat');
  const all: Reach = { phone: true, chat: true, push: true, sms: false };
  const citizen = (o: Partial<CitizenFacts>): CitizenFacts => ({
    origin: 'hotline',
    hasPhone: true,
    doNotCall: false,
    smsOptOut: false,
    hasOpenid: false,
    hasChatContact: false,
    ...o,
  });

  it('asks a hotline caller by phone, then falls back in the configured order', () => {
    const c = citizen({ hasOpenid: true, hasChatContact: true });
    expect(nextChannel(c, order, all)).toBe('phone');
    expect(nextChannel(c, order, all, 'phone')).toBe('miniprogram');
    expect(nextChannel(c, order, all, 'miniprogram')).toBe('chat');
    expect(nextChannel(c, order, all, 'chat')).toBeNull();
  });

  it('asks people where they came from first', () => {
    expect(nextChannel(citizen({ origin: 'miniprogram', hasOpenid: true }), order, all)).toBe('miniprogram');
    expect(channelSequence(citizen({ origin: 'wechat' }), order, all)).toEqual(['chat', 'phone', 'miniprogram']);
    expect(nextChannel(citizen({ origin: 'wechat', hasChatContact: true }), order, all)).toBe('chat');
    // Open311 has no channel of its own: the configured order decides.
    expect(nextChannel(citizen({ origin: 'open311' }), order, all)).toBe('phone');
  });

  it('never calls a citizen who asked not to be called, nor without a PBX', () => {
    expect(nextChannel(citizen({ doNotCall: true, hasOpenid: true }), order, all)).toBe('miniprogram');
    expect(nextChannel(citizen({ doNotCall: true }), order, all)).toBeNull();
    expect(nextChannel(citizen({ hasOpenid: true }), order, { ...all, phone: false })).toBe('miniprogram');
    expect(nextChannel(citizen({}), order, { ...all, phone: false })).toBeNull();
  });

  it('uses chat only while the bot can send', () => {
    const c = citizen({ origin: 'wechat', hasPhone: false, hasChatContact: true });
    expect(nextChannel(c, order, { ...all, chat: false })).toBeNull();
  });

  it('puts a mini-program survey that cannot be pushed last', () => {
    const c = citizen({ origin: 'miniprogram', hasOpenid: true });
    expect(channelSequence(c, order, { ...all, push: false })).toEqual(['phone', 'chat', 'miniprogram']);
    expect(nextChannel(c, order, { ...all, push: false })).toBe('phone');
    expect(nextChannel(c, order, { ...all, push: false }, 'phone')).toBe('miniprogram');
  });

  it('leaves out channels missing from SURVEY_CHANNEL_ORDER, even the one they came by', () => {
    const noPhone = parseChannelOrder('miniprogram,chat');
    expect(nextChannel(citizen({ hasOpenid: true }), noPhone, all)).toBe('miniprogram');
    expect(nextChannel(citizen({}), noPhone, all)).toBeNull();
  });
});
