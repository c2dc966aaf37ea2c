import type { Config } from '../config.js';
import type { PushEndpoint } from '../wechatApi/pushMessage.js';
import type { CustomerServiceChannel } from './contacts.js';

/**
 * The WeChat accounts whose customer-service messages the bot answers, from
 * the settings: the official account (WECHAT_OA_*) and the mini-program
 * (WECHAT_APPID/SECRET with its push token and key). Absent when not set up.
 */
export interface CustomerServiceAccount {
  channel: CustomerServiceChannel;
  endpoint: PushEndpoint;
  appid: string;
  secret: string;
}

export function customerServiceAccount(config: Config, channel: CustomerServiceChannel): CustomerServiceAccount | null {
  if (channel === 'oa') {
    if (!config.WECHAT_OA_TOKEN || !config.WECHAT_OA_APPID || !config.WECHAT_OA_SECRET) return null;
    return {
      channel,
      endpoint: { token: config.WECHAT_OA_TOKEN, aesKey: config.WECHAT_OA_AES_KEY, appid: config.WECHAT_OA_APPID },
      appid: config.WECHAT_OA_APPID,
      secret: config.WECHAT_OA_SECRET,
    };
  }
  if (!config.WECHAT_PUSH_TOKEN || !config.WECHAT_APPID || !config.WECHAT_SECRET) return null;
  return {
    channel,
    endpoint: { token: config.WECHAT_PUSH_TOKEN, aesKey: config.WECHAT_PUSH_AES_KEY, appid: config.WECHAT_APPID },
    appid: config.WECHAT_APPID,
    secret: config.WECHAT_SECRET,
  };
}

export function customerServiceAccounts(config: Config): CustomerServiceAccount[] {
  return (['oa', 'mp'] as const).flatMap((c) => customerServiceAccount(config, c) ?? []);
}
