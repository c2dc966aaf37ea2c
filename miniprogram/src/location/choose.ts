import Taro from '@tarojs/taro';
import type { LatLng } from '../api/types';
import { gcj02ToWgs84 } from './datum';

export interface ChosenPlace extends LatLng {
  address?: string;
}

/** WeChat's map picker: the citizen drops the pin where the problem is, not where they stand. */
export async function choosePlace(): Promise<ChosenPlace | null> {
  try {
    const r = await Taro.chooseLocation({});
    if (!r.latitude && !r.longitude) return null;
    const address = [r.address, r.name].filter(Boolean).join(' ');
    return { ...gcj02ToWgs84({ lat: r.latitude, lng: r.longitude }), address: address || undefined };
  } catch {
    return null;
  }
}
