import { Map as WxMap } from '@tarojs/components';
import type { LatLng } from '../api/types';
import { gcj02ToWgs84, wgs84ToGcj02 } from './datum';

/** Copied as a file (config/index.ts): a marker's icon must be a path in the package, not inlined data. */
const PIN_ICON = '/assets/map/pin.png';

export interface PickerMapProps {
  /** Where the view looks, in the stored datum (WGS-84); moved when an address is found. */
  centre: LatLng;
  /** The point picked so far, in the stored datum. */
  picked: LatLng | null;
  onPick: (p: LatLng) => void;
}

/**
 * WeChat's own map (Tencent's tiles, in GCJ-02): stored points are shifted to GCJ-02 on the way in
 * and the tapped point back to WGS-84 on the way out, here and nowhere else. A tap drops the pin.
 */
export function PickerMap({ centre, picked, onPick }: PickerMapProps) {
  const view = wgs84ToGcj02(centre);
  const pin = picked ? wgs84ToGcj02(picked) : null;
  return (
    <WxMap
      id="picker-map"
      className="picker-map"
      latitude={view.lat}
      longitude={view.lng}
      scale={17}
      showLocation
      markers={pin ? [{ id: 1, latitude: pin.lat, longitude: pin.lng, width: 30, height: 40, iconPath: PIN_ICON }] : []}
      // A map that fails to load leaves the address search, which places the pin just the same.
      onError={() => undefined}
      onTap={(e) => {
        const d = e.detail as { latitude?: number; longitude?: number };
        if (d.latitude != null && d.longitude != null) onPick(gcj02ToWgs84({ lat: d.latitude, lng: d.longitude }));
      }}
    />
  );
}
