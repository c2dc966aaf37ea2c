import type { Services } from '../context.js';
import { HotlineIvr, InboundCalls, type Pbx } from '../../telephony/index.js';
import { buildScreenPop } from './screenPops.js';
import { caseStatusForIvr } from './caseStatus.js';

export interface Telephony {
  pbx: Pbx;
  stop(): Promise<void>;
}

/**
 * Connects the configured PBX (none by default): call records go to the
 * database, a caller bridged to an agent pops up on that agent's screen, and the
 * hotline's IVR reads case statuses from the database.
 */
export async function startTelephony(services: Services): Promise<Telephony | null> {
  const { config, log, pbx } = services;
  if (!pbx) return null;
  const logger = log.child({ part: 'pbx' });
  const inbound = new InboundCalls({ pbx, hotlineNumbers: config.hotlineNumbers, logger }).start();
  inbound.on('screen-pop', (pop) => {
    // The bridge event reaches us before the PBX layer has stored the record it changed: wait for that
    // call's writes, or the pop would read no row (no masked number, no citizen, no past cases).
    void pbx
      .flush(pop.callId)
      .then(() => buildScreenPop(services, pop.callId, pop.agent.extension))
      .then((payload) => services.screenPops.publish(payload))
      .catch((err) => log.error({ err }, 'screen-pop failed'));
  });
  const ivr = new HotlineIvr({
    pbx,
    hotlineNumbers: config.hotlineNumbers,
    agentQueue: config.AGENT_QUEUE,
    lookupCaseStatus: (caseNo) => caseStatusForIvr(services, caseNo),
    logger,
  });
  ivr.start();
  // Not awaited: a PBX that is down at start must not keep the web server from starting; the layer keeps retrying.
  pbx.start().catch((err) => log.error({ err: err.message }, 'PBX connection failed'));
  return {
    pbx,
    async stop() {
      ivr.stop();
      inbound.stop();
      await pbx.stop();
    },
  };
}
