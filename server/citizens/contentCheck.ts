import type { Services } from '../context.js';
import { AppError } from '../errors.js';
import { WechatError } from '../wechat/errors.js';

export const contentRefused = () =>
  new AppError(422, 'content_refused', '内容未通过安全审核，请修改后再提交（请勿包含违法、辱骂或广告内容）');

/**
 * Text a citizen writes goes through WeChat's msgSecCheck when WeChat is
 * configured. When WeChat is unreachable the report is still accepted (a city
 * must not lose a report because a third party is down) and flagged in the log.
 */
export async function checkCitizenText(services: Services, openid: string | null, text: string): Promise<void> {
  if (!services.wechat || !openid) return;
  try {
    const verdict = await services.wechat.msgSecCheck({ openid, content: text, scene: 2 });
    if (!verdict.pass) throw contentRefused();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof WechatError && !err.retryable) {
      services.log.warn({ code: err.code }, 'content check refused the call');
      return;
    }
    services.log.warn({ err: (err as Error).message }, 'content check unavailable; accepted unchecked');
  }
}
