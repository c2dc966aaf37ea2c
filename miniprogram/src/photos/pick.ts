import Taro from '@tarojs/taro';

export interface PickedPhoto {
  path: string;
  size: number;
  name?: string;
}

/**
 * WeChat's album or camera. Only originals are asked for: WeChat's compressed copy drops the
 * EXIF block, and with it the GPS position the server reads to fill in the location.
 */
export async function pickPhotos(count: number): Promise<PickedPhoto[]> {
  try {
    const res = await Taro.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['original'],
    });
    return res.tempFiles.map((f) => ({ path: f.tempFilePath, size: f.size }));
  } catch {
    return [];
  }
}
