import type { Config } from '../config.js';
import { AliyunSms } from './aliyun.js';
import { TencentSms } from './tencent.js';
import type { SmsGateway } from './types.js';

const DEFAULT_BASE = { aliyun: 'https://dysmsapi.aliyuncs.com', tencent: 'https://sms.tencentcloudapi.com' };

/** The provider SMS_PROVIDER names; null when SMS is off. */
export function smsGatewayFrom(config: Config): SmsGateway | null {
  if (config.SMS_PROVIDER === 'off') return null;
  const baseUrl = config.SMS_BASE_URL ?? DEFAULT_BASE[config.SMS_PROVIDER];
  if (config.SMS_PROVIDER === 'aliyun')
    return new AliyunSms({
      baseUrl,
      accessKeyId: config.SMS_ACCESS_KEY_ID,
      accessKeySecret: config.SMS_ACCESS_KEY_SECRET,
      signName: config.SMS_SIGN_NAME,
      timeoutMs: config.SMS_TIMEOUT_MS,
    });
  return new TencentSms({
    baseUrl,
    secretId: config.SMS_ACCESS_KEY_ID,
    secretKey: config.SMS_ACCESS_KEY_SECRET,
    sdkAppId: config.SMS_SDK_APP_ID,
    signName: config.SMS_SIGN_NAME,
    region: config.SMS_REGION || 'ap-guangzhou',
    timeoutMs: config.SMS_TIMEOUT_MS,
  });
}
