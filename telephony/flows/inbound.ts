import { TypedEmitter } from '../pbx/emitter.js';
import type { PbxEvents } from '../pbx/events.js';
import type { Logger } from '../pbx/logger.js';
import { silentLogger } from '../pbx/logger.js';
import type { Pbx } from '../pbx/pbx.js';
import type { AgentRef } from '../pbx/types.js';

/** An agent has just been connected to a hotline caller: the server turns this into a screen-pop. */
export interface ScreenPop {
  callId: string;
  agent: AgentRef;
  callerNumber: string;
}

export interface InboundCallsEvents {
  'screen-pop': ScreenPop;
}

/**
 * Hotline calls (to one of HOTLINE_NUMBERS). Their call records are kept by the Pbx
 * itself; this watches for the bridge to an agent. The server adds the masked number
 * and the caller's history before pushing the pop to the agent's screen.
 */
export class InboundCalls extends TypedEmitter<InboundCallsEvents> {
  private unsubscribe: (() => void) | null = null;
  private readonly hotlines: Set<string>;
  private readonly log: Logger;

  constructor(private readonly options: { pbx: Pbx; hotlineNumbers: string[]; logger?: Logger }) {
    const log = options.logger ?? silentLogger();
    super((error) => log.error({ err: error }, 'a screen-pop listener threw'));
    this.log = log;
    this.hotlines = new Set(options.hotlineNumbers);
  }

  start(): this {
    this.unsubscribe ??= this.options.pbx.on('call.bridged', (event) => this.onBridged(event));
    return this;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  isHotlineCall(event: { direction: string; calledNumber: string }): boolean {
    return event.direction === 'inbound' && this.hotlines.has(event.calledNumber);
  }

  private onBridged(event: PbxEvents['call.bridged']): void {
    if (!this.isHotlineCall(event)) return;
    this.log.info({ callId: event.callId, agent: event.agent.extension }, 'hotline call reached an agent');
    this.emit('screen-pop', { callId: event.callId, agent: event.agent, callerNumber: event.callerNumber });
  }
}
