import Taro from '@tarojs/taro';

/** Opens photos full screen in WeChat's own viewer. */
export function previewPhotos(urls: string[], current: string) {
  Taro.previewImage({ urls, current });
}
