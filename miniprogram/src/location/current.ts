import Taro from '@tarojs/taro';
import type { LatLng } from '../api/types';

/** The device's position (WGS-84), or null when refused, unavailable or too slow. */
export function currentPosition(timeoutMs = 8000): Promise<LatLng | null> {
  const located = Taro.getLocation({ type: 'wgs84' })
    .then((r) => ({ lat: r.latitude, lng: r.longitude }))
    .catch(() => null);
  const gaveUp = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  return Promise.race([located, gaveUp]);
}
