/** One templated message: the provider fills the approved template with `params`, nothing else. */
export interface SmsMessage {
  /** Mainland mobile number, 11 digits. */
  phone: string;
  templateId: string;
  /** In the template's own order (Tencent takes a list, Aliyun an object keyed by name). */
  params: ReadonlyArray<{ name: string; value: string }>;
}

export interface SmsGateway {
  readonly provider: 'aliyun' | 'tencent';
  /** Resolves with the provider's message id once the provider has accepted the message. */
  send(message: SmsMessage): Promise<{ messageId: string | null }>;
}

/**
 * A send the provider did not accept. `retryable`: a network fault, a timeout, throttling or
 * the provider's own outage; anything else (bad template, bad number, no balance, a bad key) is
 * final, because sending it again would be refused the same way.
 */
export class SmsError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
