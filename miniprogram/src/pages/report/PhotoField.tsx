import { Button, Image, Text, View } from '@tarojs/components';
import { fileUrl } from '../../api/files';
import type { DraftPhoto } from '../../draft/store';
import { zh } from '../../i18n/zh-CN';
import { MAX_PHOTOS } from '../../draft/limits';
import { FINAL_PHOTO_ERRORS } from './usePhotoUploads';

interface Props {
  photos: DraftPhoto[];
  progress: Record<string, number>;
  onAdd: () => void;
  onRetry: (p: DraftPhoto) => void;
  onRemove: (key: string) => void;
}

/** Up to six tiles; each one shows its own progress, or its own refusal, where the photo is. */
export function PhotoField({ photos, progress, onAdd, onRetry, onRemove }: Props) {
  return (
    <View id="photos" className="photo-grid">
      {photos.map((p, i) => {
        const pct = progress[p.key] ?? 0;
        return (
          <View key={p.key} id={`photo-${i}`} className={`photo-tile photo-status-${p.status}`}>
            {/* A file the server says is no picture would only show a broken-image icon. */}
            {p.error?.code !== 'not_an_image' && (
              <Image className="photo-image" src={p.upload ? fileUrl(p.upload.thumbUrl) : p.path} mode="aspectFill" />
            )}
            {p.status === 'uploading' && (
              <View className="photo-progress">
                <View className="photo-progress-track">
                  <View className="photo-progress-bar" style={{ width: `${pct}%` }} />
                </View>
                <Text className="photo-progress-text">{zh.report.uploading(pct)}</Text>
              </View>
            )}
            {p.status === 'done' && <Text className="photo-done-badge">{zh.report.uploaded}</Text>}
            {p.status === 'error' && p.error && (
              <View className={`photo-error photo-error-${p.error.code}`} id={`photo-${i}-error`}>
                <Text className="photo-error-text">{p.error.message || zh.report.uploadFailed}</Text>
                {!FINAL_PHOTO_ERRORS.has(p.error.code) && (
                  <Button className="btn btn-small photo-retry" onClick={() => onRetry(p)}>
                    {zh.report.retryUpload}
                  </Button>
                )}
              </View>
            )}
            <View className="photo-remove" onClick={() => onRemove(p.key)}>
              <Text className="photo-remove-mark">{zh.report.removePhoto}</Text>
            </View>
          </View>
        );
      })}
      {photos.length < MAX_PHOTOS && (
        <View id="photo-add" className="photo-tile photo-add" onClick={onAdd}>
          <Text className="photo-add-plus">+</Text>
          <Text className="hint">{zh.report.addPhoto}</Text>
        </View>
      )}
    </View>
  );
}
