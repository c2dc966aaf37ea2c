import Taro from '@tarojs/taro';
import { ApiError, NetworkError, apiUrl, toApiError } from '../api/http';
import type { Upload } from '../api/types';
import { dropSession, ensureToken } from '../auth/session';
import { markOffline, markOnline } from '../network/status';
import type { PickedPhoto } from './pick';

async function once(photo: PickedPhoto, token: string, onProgress: (percent: number) => void): Promise<Upload> {
  let res: Taro.uploadFile.SuccessCallbackResult;
  try {
    const task = Taro.uploadFile({
      url: apiUrl('/api/citizen/uploads'),
      filePath: photo.path,
      name: 'file',
      header: { Authorization: `Bearer ${token}` },
      timeout: 120_000,
      // h5 only: otherwise the part is named file-<timestamp> with no extension.
      ...({ fileName: photo.name } as object),
    });
    task.progress?.((p) => onProgress(p.progress));
    res = await task;
  } catch {
    markOffline();
    throw new NetworkError('upload');
  }
  markOnline();
  if (res.statusCode === 200 || res.statusCode === 201) {
    return (typeof res.data === 'string' ? JSON.parse(res.data) : res.data) as Upload;
  }
  throw toApiError(res.statusCode, res.data, '');
}

/** Sends one photo to POST /api/citizen/uploads, reporting progress in whole percent. */
export async function uploadPhoto(photo: PickedPhoto, onProgress: (percent: number) => void): Promise<Upload> {
  try {
    return await once(photo, await ensureToken(), onProgress);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    dropSession();
    return once(photo, await ensureToken(), onProgress);
  }
}
