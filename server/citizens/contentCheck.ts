import { eq } from 'drizzle-orm';
import type { Services } from '../context.js';
import { uploads } from '../db/schema.js';
import type { MediaCheckVerdict } from '../wechatApi/types.js';
import { AppError } from '../errors.js';
import { WechatError } from '../wechatApi/errors.js';

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

/**
 * A citizen's photo goes to WeChat's asynchronous image check when WeChat is
 * configured and knows the citizen (a mini-program openid): WeChat fetches it
 * from our public URL and pushes the verdict later (recordMediaVerdict).
 */
export async function startImageCheck(services: Services, openid: string | null, uploadId: string): Promise<void> {
  if (!services.wechat || !openid || !services.config.PUBLIC_BASE_URL) return;
  try {
    const { traceId } = await services.wechat.mediaCheckAsync({
      openid,
      mediaUrl: `${services.config.publicBaseUrl}${services.fileLinks.path(uploadId)}`,
      mediaType: 'image',
    });
    await services.database.db
      .update(uploads)
      .set({ checkTraceId: traceId, checkStatus: 'pending' })
      .where(eq(uploads.id, uploadId));
  } catch (err) {
    services.log.warn({ err: (err as Error).message }, 'image check not started');
  }
}

/** WeChat's verdict on a photo: a refused one is hidden wherever it shows; the report stays, for staff to see. */
export async function recordMediaVerdict(services: Services, verdict: MediaCheckVerdict): Promise<void> {
  const [row] = await services.database.db
    .update(uploads)
    .set({ checkStatus: verdict.pass ? 'passed' : 'refused' })
    .where(eq(uploads.checkTraceId, verdict.traceId))
    .returning({ id: uploads.id });
  if (row && !verdict.pass) services.log.warn({ uploadId: row.id }, 'photo refused by content check');
}
