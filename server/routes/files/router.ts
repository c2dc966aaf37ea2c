import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Services } from '../../context.js';
import { validate } from '../../middleware/validate.js';
import { actorOf, requireStaff } from '../../middleware/authenticate.js';
import { authorize, canSeeFile, citizenOwnsUpload } from '../../auth/policy.js';
import { notFound } from '../../errors.js';
import { readSingleFile } from '../../files/multipart.js';
import { casesOfUpload, checkUploadRate, getUpload, storeImage, type UploadRow } from '../../files/uploads.js';
import { presentUpload } from '../../presenters/upload.js';
import { CitizenTokens } from '../../citizens/tokens.js';

const idParams = z.object({ id: z.string().uuid() });

export function fileRoutes(services: Services) {
  const router = new Router();
  const citizenTokens = new CitizenTokens(services.config.SESSION_SECRET);

  router.post('/api/uploads', requireStaff, async (ctx) => {
    const actor = actorOf(ctx);
    authorize(actor, 'case.read');
    await checkUploadRate(services, `staff:${actor.id}`, ctx.ip);
    const file = await readSingleFile(ctx);
    const row = await storeImage(services, { type: 'staff', id: actor.id }, file.data);
    ctx.status = 201;
    ctx.body = presentUpload(services.fileLinks, row);
  });

  /** A signed link, the staff the policy lets see the case, or the citizen who uploaded it; never the public. */
  async function mayRead(ctx: Context, row: UploadRow, thumb: boolean): Promise<boolean> {
    if (services.fileLinks.verify(row.id, thumb, ctx.query.exp, ctx.query.sig)) return true;
    const actor = ctx.state.actor;
    if (actor) {
      const uploadedBy = row.ownerType === 'staff' ? row.ownerId : null;
      return canSeeFile(actor, { uploadedBy, cases: await casesOfUpload(services, row.id) });
    }
    const header = ctx.get('authorization');
    const citizenId = header.startsWith('Bearer ') ? citizenTokens.verify(header.slice(7).trim()) : null;
    return !!citizenId && citizenOwnsUpload(citizenId, row);
  }

  for (const [suffix, thumb] of [
    ['', false],
    ['/thumb', true],
  ] as const) {
    router.get(`/files/:id${suffix}`, validate({ params: idParams }), async (ctx) => {
      const row = await getUpload(services, ctx.input.params.id);
      // A photo WeChat's content check refused is never served again; nor is one the caller may not see.
      if (!row || row.checkStatus === 'refused' || !(await mayRead(ctx, row, thumb))) throw notFound('文件');
      const data = await services.files.get(thumb ? row.thumbPath : row.path);
      if (!data) throw notFound('文件');
      ctx.type = row.mime;
      ctx.set('Cache-Control', 'private, max-age=3600');
      ctx.body = data;
    });
  }
  return router;
}
