import gcoord from 'gcoord';
import type { LatLng } from '../api/types';

// WeChat's map (Taro's Map on weapp), wx.getLocation's default and chooseLocation answer in GCJ-02,
// the offset datum Chinese maps must use, while photo EXIF and device GPS are WGS-84. The server
// stores WGS-84 only (server/geo/datum.ts, same library), so one case is not placed ~500 m off
// from another depending on how it was located.
export function gcj02ToWgs84(p: LatLng): LatLng {
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.GCJ02, gcoord.WGS84);
  return { lat, lng };
}

/** A stored point placed on WeChat's map. */
export function wgs84ToGcj02(p: LatLng): LatLng {
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat, lng };
}
