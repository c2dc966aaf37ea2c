import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize } from '../../auth/policy.js';
import { notFound } from '../../errors.js';
import { readSingleFile } from '../../files/multipart.js';
import { getUpload, presentUpload, storeImage } from '../../files/uploads.js';

const idParams = z.object({ id: z.string().uuid() });

export function fileRoutes(services: Services) {
  const router = new Router();

  router.post('/api/uploads', requireStaff, async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    const file = await readSingleFile(ctx);
    const row = await storeImage(services, { type: 'staff', id: actor.id }, file.data);
    ctx.status = 201;
    ctx.body = presentUpload(row);
  });

  // Ids are random UUIDs handed out only with the case they belong to; the stored copies carry no EXIF.
  for (const [suffix, thumb] of [
    ['', false],
    ['/thumb', true],
  ] as const) {
    router.get(`/files/:id${suffix}`, validate({ params: idParams }), async (ctx) => {
      const row = await getUpload(services, ctx.state.params.id);
      const data = row ? await services.files.get(thumb ? row.thumbPath : row.path) : null;
      if (!row || !data) throw notFound('文件');
      ctx.type = row.mime;
      ctx.set('Cache-Control', 'private, max-age=86400, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = data;
    });
  }
  return router;
}
