import { request } from './client';
import type { Upload } from './types';

export function upload(file: File) {
  const form = new FormData();
  form.append('file', file);
  return request<Upload>('/api/uploads', { method: 'POST', body: form });
}
