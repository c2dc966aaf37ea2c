import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { FreeSwitchPbx } from '../../telephony/freeswitch/adapter.js';
import { InMemoryCallRecordStore } from '../../telephony/pbx/store.js';
import { builtPbx } from '../../tests/telephony/real/built.js';
import { RealFreeswitch } from '../../tests/telephony/real/freeswitch.js';

export interface RealEslBenchResult {
  calls: number;
  channels: number;
  events: number;
  ms: number;
  eventsPerSecond: number;
  stored: number;
  lost: number;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The ESL ingestion figure against a real FreeSWITCH (scripts/pbx/build-freeswitch.sh) with the
 * shipped configuration: `calls` citizens ring 12319 at once (originate loopback/12319/public,
 * so every call runs our hotline dialplan: answer, the fall-back to the queue armed, park), then
 * all hang up. Each call is two channels (the caller's loopback leg and the hotline leg), each a
 * call record. A second event socket counts what FreeSWITCH reports; a channel whose hang-up it
 * reported without an ended record in the store is lost.
 */
export async function runRealEslBench(prefix: string, calls = 300): Promise<RealEslBenchResult> {
  // No recordings and no fall-back to the queue during the run: the calls only ring, answer and end.
  const fs = new RealFreeswitch(prefix, { RECORD_CALLS: 'false', CG_SERVICE_WAIT: '3600' });
  const store = new InMemoryCallRecordStore();
  let events = 0;
  let service: FreeSwitchPbx | null = null;
  try {
    await fs.start();
    service = new FreeSwitchPbx({
      host: '127.0.0.1',
      port: fs.eslPort,
      password: fs.password,
      store,
      timeouts: { keepaliveMs: 0, resyncMs: 60_000 },
      onFrame: (frame) => {
        if (frame.contentType === 'text/event-plain') events++;
      },
    });
    const created = new Set<string>();
    const hungUp = new Set<string>();
    const driver = await fs.connect(['CHANNEL_CREATE', 'CHANNEL_HANGUP_COMPLETE'], (h) => {
      const uuid = h['Unique-ID'];
      if (!uuid) return;
      if (h['Event-Name'] === 'CHANNEL_CREATE') created.add(uuid);
      else hungUp.add(uuid);
    });
    await service.start();
    // FreeSWITCH creates at most sessions-per-second channels a second (switch.conf.xml: 100, for
    // the PBX we ship) and refuses the rest ("Throttle Error!" in its log, the originate fails);
    // all the bench's calls ring at once, two channels each, so this run alone lifts the limit.
    // The new limit counts from the next refill of the per-second budget (once a second, in
    // switch_time.c's timer thread): until then the old one holds, so wait past it.
    const sps = await driver.api(`fsctl sps ${calls * 2 + 100}`, 5_000);
    if (!sps.startsWith('+OK')) throw new Error(`fsctl sps: ${sps.trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    events = 0;
    const started = performance.now();
    const replies: Array<Promise<string>> = [];
    for (let i = 0; i < calls; i++) {
      const from = `139${String(i).padStart(8, '0')}`;
      replies.push(
        driver.bgapi(`originate {origination_caller_id_number=${from}}loopback/12319/public &park`, 600_000),
      );
    }
    const results = await Promise.all(replies);
    const failed = results.filter((r) => !r.startsWith('+OK'));
    if (failed.length) {
      const causes = [...new Set(failed.map((r) => r.trim()))].slice(0, 5).join('; ');
      throw new Error(`${failed.length} of ${calls} calls were not answered (${causes})`);
    }
    await driver.api('hupall NORMAL_CLEARING', 60_000);
    await until(() => created.size > 0 && hungUp.size === created.size, 600_000, 'every hang-up');
    await until(() => service!.activeCalls().length === 0, 600_000, 'the adapter to see every hang-up');
    await service.flush();
    const ms = performance.now() - started;
    await driver.close(1_000);
    const ended = new Set(
      store
        .all()
        .filter((r) => r.endedAt !== null)
        .map((r) => r.id),
    );
    return {
      calls,
      channels: created.size,
      events,
      ms,
      eventsPerSecond: (events / ms) * 1000,
      stored: ended.size,
      lost: [...hungUp].filter((uuid) => !ended.has(uuid)).length,
    };
  } finally {
    await service?.stop();
    await fs.dispose();
  }
}

function print(r: RealEslBenchResult): void {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const rows: Array<[string, string]> = [
    ['calls to 12319', n(r.calls)],
    ['channels FreeSWITCH reported', n(r.channels)],
    ['events through the adapter', n(r.events)],
    ['wall time', `${n(r.ms)} ms (first originate to the last record stored)`],
    ['adapter events/s', n(r.eventsPerSecond)],
    ['records ended in the store', n(r.stored)],
    ['lost', n(r.lost)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('ESL bench: real FreeSWITCH 1.10 (shipped configuration) → FreeSwitchPbx → InMemoryCallRecordStore');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const prefix = builtPbx('freeswitch');
  if (!prefix) process.exit(1);
  runRealEslBench(prefix, Number(process.argv[2] ?? 300))
    .then((result) => {
      print(result);
      process.exitCode = result.lost === 0 ? 0 : 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
