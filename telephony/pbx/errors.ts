/** Errors a Pbx raises. `code` is stable so callers (jobs, routes) can switch on it. */
export class PbxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PbxError';
  }
}

/** The PBX refused our credentials. Not retried: a reconnect storm would not fix a password. */
export class PbxAuthError extends PbxError {
  constructor(message: string) {
    super('pbx_auth_failed', message);
    this.name = 'PbxAuthError';
  }
}

export class PbxTimeoutError extends PbxError {
  constructor(what: string, ms: number) {
    super('pbx_timeout', `${what}: no answer from the PBX within ${ms} ms`);
    this.name = 'PbxTimeoutError';
  }
}

export const pbxNotConnected = (state: string) =>
  new PbxError('pbx_not_connected', `PBX is not connected (state: ${state})`);
export const pbxDisabled = () =>
  new PbxError('pbx_disabled', 'No PBX is configured (PBX=none): telephony controls are unavailable');
export const pbxDisconnected = () => new PbxError('pbx_disconnected', 'The PBX connection was lost');
export const pbxStopped = () => new PbxError('pbx_stopped', 'The PBX adapter was stopped');
export const pbxCommandFailed = (command: string, reply: string) =>
  new PbxError('pbx_command_failed', `${command} failed: ${reply}`);
export const pbxProtocolError = (message: string) => new PbxError('pbx_protocol_error', message);
export const unknownCall = (callId: string) => new PbxError('pbx_unknown_call', `No live call ${callId}`);
export const invalidArgument = (message: string) => new PbxError('pbx_invalid_argument', message);
