import Taro from '@tarojs/taro';
import { citizenApi } from '../api/citizen';

/** Asked only when a template is configured; WeChat refuses an empty list. */
export const canAskConsent = () => SUBSCRIBE_TEMPLATE_IDS.length > 0;

/**
 * WeChat's 订阅消息 prompt. It must run inside a tap, so it is offered as a button after the
 * report went through rather than fired by the submission's answer. The server is told what
 * was accepted, since it may only send a message the citizen said yes to.
 */
export async function askConsent(): Promise<boolean> {
  const tmplIds = SUBSCRIBE_TEMPLATE_IDS;
  const res = (await Taro.requestSubscribeMessage({
    tmplIds,
  } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>;
  const accepted = tmplIds.filter((id) => res[id] === 'accept');
  await citizenApi.recordSubscriptions(tmplIds, accepted);
  return accepted.length > 0;
}
