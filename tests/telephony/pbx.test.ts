import { readFileSync } from 'node:fs';
import { loadConfig } from '../../server/config.js';
import { testEnv } from '../helpers/context.js';
import { describe, expect, test } from 'vitest';
import { AsteriskPbx } from '../../telephony/asterisk/adapter.js';
import { pbxOptionsFrom, telephonySettingsSchema } from '../../telephony/config.js';
import { createPbx } from '../../telephony/create-pbx.js';
import { isCaseNumber } from '../../telephony/flows/case-number.js';
import { FreeSwitchPbx } from '../../telephony/freeswitch/adapter.js';
import { CallTracker } from '../../telephony/pbx/call-tracker.js';
import { silentLogger } from '../../telephony/pbx/logger.js';
import type { ChannelIdentity } from '../../telephony/pbx/signals.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { backoffDelay, defaultBackoff } from '../../telephony/pbx/timing.js';
import type { CallRecord } from '../../telephony/pbx/types.js';

describe('createPbx', () => {
  test('picks the transport by name', () => {
    expect(createPbx({ kind: 'freeswitch', host: 'fs', password: 'x' })).toBeInstanceOf(FreeSwitchPbx);
    expect(createPbx({ kind: 'asterisk', host: 'ast', username: 'u', password: 'x' })).toBeInstanceOf(AsteriskPbx);
  });

  test('none: stopped, and every control rejects with pbx_disabled', async () => {
    const pbx = createPbx({ kind: 'none' });
    await pbx.start();
    expect(pbx.kind).toBe('none');
    expect(pbx.state).toBe('stopped');
    await expect(pbx.originate({ destination: '13800138000', callerId: '12319' })).rejects.toMatchObject({
      code: 'pbx_disabled',
      message: expect.stringMatching(/PBX=none/),
    });
    await expect(pbx.hangup('x')).rejects.toMatchObject({ code: 'pbx_disabled' });
    await expect(pbx.transfer('x', { kind: 'queue', queue: 'q' })).rejects.toMatchObject({ code: 'pbx_disabled' });
  });

  test('bad settings name the field', () => {
    expect(() => createPbx({ kind: 'asterisk', host: 'ast', username: '', password: 'x' })).toThrow(/username/);
    expect(() => createPbx({ kind: 'freeswitch', host: 'fs', port: 0, password: 'x' })).toThrow(/port/);
  });
});

describe('telephony settings', () => {
  test("the service's default agent queue is the one the telephony layer and the shipped FreeSWITCH configuration defines", () => {
    const queue = loadConfig(testEnv()).AGENT_QUEUE;
    expect(queue).toBe(telephonySettingsSchema.parse({}).AGENT_QUEUE);
    const callcenter = readFileSync(
      new URL('../../telephony/freeswitch/conf/autoload_configs/callcenter.conf.xml', import.meta.url),
      'utf8',
    );
    expect(callcenter).toContain('<queue name="$${cg_agent_queue}@default">');
    const vars = readFileSync(new URL('../../telephony/freeswitch/conf/vars.xml', import.meta.url), 'utf8');
    expect(vars).toContain(`data="cg_agent_queue=${queue}"`);
  });

  test('defaults, and what each PBX requires', () => {
    const none = telephonySettingsSchema.parse({});
    expect(none).toMatchObject({ PBX: 'none', HOTLINE_NUMBERS: ['12319', '96310'], AGENT_QUEUE: 'hotline' });
    expect(pbxOptionsFrom(none)).toEqual({ kind: 'none' });
    const fs = telephonySettingsSchema.parse({ PBX: 'freeswitch', PBX_HOST: 'fs', PBX_PASSWORD: 'p' });
    expect(pbxOptionsFrom(fs)).toMatchObject({
      kind: 'freeswitch',
      host: 'fs',
      port: 8021,
      password: 'p',
      promptMode: 'files',
      fallbackQueue: 'hotline',
    });
    expect(pbxOptionsFrom(fs)).not.toHaveProperty('dialString');
    const ast = telephonySettingsSchema.parse({
      PBX: 'asterisk',
      PBX_USERNAME: 'u',
      PBX_PASSWORD: 'p',
      PBX_DIAL_STRING: 'PJSIP/{number}@carrier',
    });
    expect(pbxOptionsFrom(ast)).toMatchObject({ kind: 'asterisk', channelTemplate: 'PJSIP/{number}@carrier' });
    expect(
      telephonySettingsSchema.safeParse({ PBX: 'asterisk', PBX_USERNAME: 'u', PBX_PASSWORD: 'p', PROMPT_MODE: 'tts' })
        .success,
    ).toBe(false);
    const missing = telephonySettingsSchema.safeParse({ PBX: 'asterisk', PBX_PASSWORD: 'p' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0].path).toEqual(['PBX_USERNAME']);
  });
});

test('backoff: the first retry is fast, then doubles, capped', () => {
  const options = { ...defaultBackoff, jitter: 0 };
  expect([0, 1, 2, 3].map((n) => backoffDelay(n, options))).toEqual([100, 200, 400, 800]);
  expect(backoffDelay(30, options)).toBe(defaultBackoff.maxDelayMs);
  expect(backoffDelay(0, defaultBackoff, () => 1)).toBe(120);
});

test('case numbers are a date and a sequence', () => {
  expect(isCaseNumber('2026112100001')).toBe(true);
  expect(isCaseNumber('2026022900001')).toBe(false);
  expect(isCaseNumber('202611210001')).toBe(false);
});

describe('call records', () => {
  const identity = (id: string, over: Partial<ChannelIdentity> = {}): ChannelIdentity => ({
    channelId: id,
    callId: id,
    direction: 'inbound',
    callerNumber: '13800138000',
    callerName: null,
    calledNumber: '12319',
    createdAt: new Date('2026-11-21T08:00:00Z'),
    variables: {},
    ...over,
  });

  function tracker() {
    const persisted: CallRecord[] = [];
    const events: string[] = [];
    const t = new CallTracker({
      emit: (e) => events.push(e),
      persist: (r) => persisted.push({ ...r }),
      log: silentLogger(),
    });
    return { t, persisted, events };
  }

  test('agent legs fold into the call they serve', () => {
    const { t, events } = tracker();
    const at = new Date();
    t.apply({ type: 'created', channelId: 'a', at, identity: identity('a') }, 1);
    t.apply(
      {
        type: 'created',
        channelId: 'b',
        at,
        identity: identity('b', { callId: 'a', calledNumber: '1001', direction: 'outbound' }),
      },
      1,
    );
    t.apply({ type: 'bridged', channelId: 'b', otherChannelId: 'a', at }, 1);
    t.apply({ type: 'hungup', channelId: 'b', cause: 'NORMAL_CLEARING', causeCode: 16, at }, 1);
    expect(t.get('a')?.agent).toEqual({ extension: '1001', id: null });
    expect(t.get('b')).toBeUndefined();
    expect(events).toEqual(['call.started', 'call.bridged']);
  });

  test('resync: a duplicate CHANNEL_CREATE or a listed call never makes a second record, an ended call is not resurrected', () => {
    const { t, events } = tracker();
    const at = new Date();
    t.apply({ type: 'created', channelId: 'a', at, identity: identity('a') }, 1);
    t.apply({ type: 'created', channelId: 'a', at, identity: identity('a') }, 1);
    t.apply({ type: 'hungup', channelId: 'a', cause: 'NORMAL_CLEARING', causeCode: 16, at }, 1);
    const result = t.reconcile([{ identity: identity('a'), answered: true }], 2);
    expect(result).toEqual({ recovered: [], ended: [] });
    expect(events.filter((e) => e === 'call.started')).toHaveLength(1);
  });

  test('a call heard of on the new connection is not ended by a list taken before it started', () => {
    const { t } = tracker();
    t.apply({ type: 'created', channelId: 'old', at: new Date(), identity: identity('old') }, 1);
    t.apply({ type: 'created', channelId: 'new', at: new Date(), identity: identity('new') }, 2);
    expect(t.reconcile([], 2).ended).toEqual(['old']);
    expect(t.isLive('new')).toBe(true);
  });

  test('the in-memory store is idempotent per call id', async () => {
    const store = new InMemoryCallRecordStore();
    const { t, persisted } = tracker();
    t.apply({ type: 'created', channelId: 'a', at: new Date(), identity: identity('a') }, 1);
    for (const record of [...persisted, ...persisted]) await store.upsert(record);
    expect(store.size).toBe(1);
    expect(store.inserts).toBe(1);
  });
});
