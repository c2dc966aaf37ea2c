/**
 * Whose contact an id is. Wechaty contacts keep the puppet's own ids; the
 * customer-service channels prefix the openid with the account it belongs to,
 * since an official account and a mini-program give one person two openids.
 */
export type ChatChannel = 'wechaty' | 'oa' | 'mp';
export type CustomerServiceChannel = Exclude<ChatChannel, 'wechaty'>;

export const customerServiceChannels: readonly CustomerServiceChannel[] = ['oa', 'mp'];

export function contactIdOf(channel: CustomerServiceChannel, openid: string): string {
  return `${channel}:${openid}`;
}

export function channelOfContact(contactId: string): ChatChannel {
  const prefix = contactId.slice(0, contactId.indexOf(':'));
  return (customerServiceChannels as readonly string[]).includes(prefix)
    ? (prefix as CustomerServiceChannel)
    : 'wechaty';
}

/** The openid behind a customer-service contact id. */
export function openidOfContact(contactId: string): string {
  return contactId.slice(contactId.indexOf(':') + 1);
}
