import type { Logger } from 'pino';
import type { SurveyCaller } from '../surveys/caller.js';
import type { Leadership } from './lease.js';

export type Stop = () => Promise<void>;

/**
 * Runs `start` while this instance leads and the Stop it returned when it steps down
 * (or the process stops). Changes are applied one at a time, in order, so a quick
 * lose-and-regain never leaves two copies running.
 */
export function whileLeader(
  leadership: Leadership,
  log: Logger,
  start: () => Promise<Stop>,
): { settled(): Promise<void>; stop(): Promise<void> } {
  let chain = Promise.resolve();
  let running: Stop | null = null;
  const apply = (leader: boolean) => {
    chain = chain.then(async () => {
      if (leader && !running && leadership.isLeader) {
        log.info('cluster: starting the singletons');
        running = await start().catch((err) => {
          log.error({ err }, 'cluster: the singletons did not start');
          return null;
        });
      } else if (!leader && running) {
        const stop = running;
        running = null;
        log.info('cluster: stopping the singletons');
        await stop().catch((err) => log.error({ err }, 'cluster: the singletons did not stop cleanly'));
      }
    });
  };
  const off = leadership.onChange(apply);
  if (leadership.isLeader) apply(true);
  return {
    /** Resolves once every change seen so far has been applied. */
    settled: () => chain,
    async stop() {
      off();
      apply(false);
      await chain;
    },
  };
}

/**
 * The survey caller connects the PBX on first use. A survey job still running when this
 * instance steps down must not connect it again beside the new leader: it fails, and its
 * retry runs on the leader. Outside a cluster runtime (role 'stopped': tests, scripts) it calls.
 */
export function unlessFollower(leadership: Leadership, caller: SurveyCaller): SurveyCaller {
  return {
    call(request) {
      if (leadership.role === 'follower')
        return Promise.reject(new Error('another instance holds the PBX connection; the job is retried there'));
      return caller.call(request);
    },
  };
}
