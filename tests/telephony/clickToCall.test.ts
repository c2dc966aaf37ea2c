import { describe, expect, test } from 'vitest';
import { NoPbx } from '../../telephony/pbx/none.js';
import type { Pbx } from '../../telephony/pbx/pbx.js';
import type { OriginateSeen } from '../../telephony/testing/sim-call.js';
import type { TestAmiServer } from '../../telephony/testing/ami-server.js';
import type { TestEslServer } from '../../telephony/testing/esl-server.js';
import { asteriskHarness, freeswitchHarness, nextEvent, type Harness } from './helpers.js';

// Click-to-call (a callback from the console): the PBX rings the agent's extension first and,
// once the agent answers, the citizen with the hotline as caller id; both test servers speak it
// as FreeSWITCH (originate user/<ext> &bridge(...)) and Asterisk (Local/<ext>@cg-callback-agent
// into cg-callback) do.

const servers: Array<{
  name: string;
  harness: () => Promise<Harness<TestEslServer | TestAmiServer>>;
  agentCommand: RegExp;
}> = [
  {
    name: 'FreeSWITCH',
    harness: () => freeswitchHarness({}, { dialString: 'sofia/gateway/pstn/{number}' }),
    agentCommand:
      /^bgapi originate \{origination_uuid=[^,]+,origination_caller_id_number=12319,origination_caller_id_name=12319,originate_timeout=2,case_id=c-1,cg_purpose=callback,cg_agent=8001\}user\/8001 &bridge\(\{origination_caller_id_number=12319,origination_caller_id_name=12319,originate_timeout=2\}sofia\/gateway\/pstn\/13800138000\)$/,
  },
  {
    name: 'Asterisk',
    harness: () => asteriskHarness({}, { channelTemplate: 'PJSIP/{number}@trunk' }),
    agentCommand: /^Originate$/,
  },
];

describe.each(servers)('clickToCall on $name', ({ harness, agentCommand }) => {
  test('rings the agent first, then the citizen with the hotline number, and bridges them', async () => {
    const h = await harness();
    try {
      const seen: OriginateSeen[] = [];
      h.server.onOriginate((request) => {
        seen.push(request);
        return 'answer';
      });
      await h.pbx.start();
      const bridged = nextEvent(h.pbx, 'call.bridged');
      const result = await h.pbx.clickToCall({
        agentExtension: '8001',
        destination: '13800138000',
        callerId: '12319',
        variables: { case_id: 'c-1' },
      });
      expect(result.status).toBe('answered');
      await bridged;
      expect(seen.map((s) => s.destination)).toEqual(['8001', '13800138000']);
      expect(seen[1].callerId).toBe('12319');
      const commands = 'commands' in h.server ? h.server.commands : h.server.actions;
      expect(commands.some((c) => agentCommand.test(c))).toBe(true);
      const record = h.pbx.getCall(result.callId)!;
      expect(record).toMatchObject({ direction: 'outbound', callerNumber: '12319', calledNumber: '13800138000' });
      expect(record.variables).toMatchObject({ cg_purpose: 'callback' });
      const hungup = nextEvent(h.pbx, 'call.hungup');
      await h.pbx.hangup(result.callId);
      await hungup;
    } finally {
      await h.close();
    }
  });

  test("an agent who does not answer fails the call and the citizen's phone never rings", async () => {
    const h = await harness();
    try {
      const seen: OriginateSeen[] = [];
      h.server.onOriginate((request) => {
        seen.push(request);
        return 'no_answer';
      });
      await h.pbx.start();
      const result = await h.pbx.clickToCall({ agentExtension: '8001', destination: '13800138000', callerId: '12319' });
      expect(result).toMatchObject({ status: 'failed', reason: 'no_answer' });
      expect(seen.map((s) => s.destination)).toEqual(['8001']);
    } finally {
      await h.close();
    }
  });

  test("a citizen who does not answer ends the agent's leg with the citizen's cause", async () => {
    const h = await harness();
    try {
      h.server.onOriginate((request) => (request.destination === '8001' ? 'answer' : 'busy'));
      await h.pbx.start();
      const hungup = nextEvent(h.pbx, 'call.hungup');
      const result = await h.pbx.clickToCall({ agentExtension: '8001', destination: '13800138000', callerId: '12319' });
      expect(result.status).toBe('answered');
      const ended = await hungup;
      expect(ended.callId).toBe(result.callId);
      expect(ended.cause).toBe('USER_BUSY');
    } finally {
      await h.close();
    }
  });

  test('refuses a bad extension before anything reaches the PBX', async () => {
    const h = await harness();
    try {
      await h.pbx.start();
      await expect(
        h.pbx.clickToCall({ agentExtension: '80 01', destination: '13800138000', callerId: '12319' }),
      ).rejects.toMatchObject({ code: 'pbx_invalid_argument' });
    } finally {
      await h.close();
    }
  });
});

test('without a PBX click-to-call is refused as pbx_disabled', async () => {
  await expect(
    (new NoPbx() as Pbx).clickToCall({ agentExtension: '8001', destination: '13800138000', callerId: '12319' }),
  ).rejects.toMatchObject({ code: 'pbx_disabled' });
});
