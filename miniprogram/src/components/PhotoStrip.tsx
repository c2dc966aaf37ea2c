import { Image, View } from '@tarojs/components';
import type { Photo } from '../api/types';
import { fileUrl } from '../api/files';
import { previewPhotos } from './preview';
import './PhotoStrip.css';

/** A row of thumbnails; a tap opens the full photos in the platform's viewer. */
export function PhotoStrip({ id, photos }: { id: string; photos: Photo[] }) {
  const urls = photos.map((p) => fileUrl(p.url));
  return (
    <View id={id} className="photo-strip">
      {photos.map((p, i) => (
        <Image
          key={p.url}
          className="photo-strip-item"
          src={fileUrl(p.thumbUrl || p.url)}
          mode="aspectFill"
          onClick={() => previewPhotos(urls, urls[i])}
        />
      ))}
    </View>
  );
}
