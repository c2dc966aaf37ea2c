import { PlusOutlined } from '@ant-design/icons';
import { Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { upload } from '../api/uploads';
import { t } from '../i18n/zh-CN';

/**
 * Photos go to POST /api/uploads as soon as they are chosen; the form only ever holds
 * the returned ids.
 */
export function PhotoUpload({
  onChange,
  max = 6,
  testId,
}: {
  onChange: (ids: string[]) => void;
  max?: number;
  testId?: string;
}) {
  const [files, setFiles] = useState<UploadFile[]>([]);

  const update = (next: UploadFile[]) => {
    setFiles(next);
    onChange(next.filter((f) => f.status === 'done' && f.response?.id).map((f) => f.response.id as string));
  };

  return (
    <div data-testid={testId}>
      <Upload
        listType="picture-card"
        accept="image/*"
        multiple
        fileList={files}
        onChange={({ fileList }) => update(fileList)}
        customRequest={({ file, onSuccess, onError }) => {
          upload(file as File)
            .then((r) => onSuccess?.(r))
            .catch((err) => onError?.(new Error(err?.message ?? t.common.uploadFailed)));
        }}
      >
        {files.length < max && (
          <div>
            <PlusOutlined />
            <div style={{ marginTop: 4 }}>{t.common.uploadPhoto}</div>
          </div>
        )}
      </Upload>
    </div>
  );
}
