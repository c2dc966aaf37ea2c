import Busboy from 'busboy';
import type { Context } from 'koa';
import { invalidRequest } from '../errors.js';
import { MAX_UPLOAD_BYTES, fileTooLarge } from './images.js';

export interface UploadedFile {
  filename: string;
  data: Buffer;
}

/** Reads one file field from a multipart body, stopping at the size limit instead of buffering a huge body. */
export function readSingleFile(ctx: Context, field = 'file'): Promise<UploadedFile> {
  if (!ctx.is('multipart/form-data'))
    return Promise.reject(invalidRequest('请用 multipart/form-data 上传文件（字段 file）'));
  return new Promise((resolve, reject) => {
    let result: UploadedFile | null = null;
    let failed: Error | null = null;
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 20 } });
    } catch {
      return reject(invalidRequest('上传格式错误'));
    }
    bb.on('file', (name, stream, info) => {
      if (name !== field) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        failed = fileTooLarge();
      });
      stream.on('end', () => {
        if (!failed) result = { filename: info.filename ?? '', data: Buffer.concat(chunks) };
      });
    });
    bb.on('error', () => reject(invalidRequest('上传格式错误')));
    bb.on('close', () => {
      if (failed) return reject(failed);
      if (!result) return reject(invalidRequest(`${field}: required`));
      resolve(result);
    });
    ctx.req.pipe(bb);
  });
}
