import Router from '@koa/router';
import type { Services } from '../../context.js';
import { startImageCheck } from '../../citizens/contentCheck.js';
import { openidOf } from '../../citizens/queries.js';
import { readSingleFile } from '../../files/multipart.js';
import { checkUploadRate, storeImage } from '../../files/uploads.js';
import { presentUpload } from '../../presenters/upload.js';
import type { CitizenSession } from './session.js';

/** A photo for a report, checked by WeChat's content check before anyone else sees it. */
export function citizenUploadRoutes(services: Services, { requireCitizen }: CitizenSession) {
  const router = new Router();

  router.post('/citizen/uploads', requireCitizen, async (ctx) => {
    await checkUploadRate(services, `citizen:${ctx.state.citizenId}`, ctx.ip);
    const file = await readSingleFile(ctx);
    const row = await storeImage(services, { type: 'citizen', id: ctx.state.citizenId! }, file.data);
    // WeChat fetches the image and pushes its verdict later (POST /api/wechat/events).
    await startImageCheck(services, await openidOf(services, ctx.state.citizenId!), row.id);
    ctx.status = 201;
    ctx.body = presentUpload(services.fileLinks, row);
  });

  return router;
}
