/**
 * GCJ-02 (the datum every map in China and WeChat's location messages use)
 * and WGS-84 (what the service stores). The forward offset is the published
 * one (Krasovsky 1940 ellipsoid); it has no closed inverse, so GCJ-02 → WGS-84
 * walks the forward transform back until it is within a millimetre or so.
 */

export interface LatLng {
  lat: number;
  lng: number;
}

const A = 6378245.0;
const EE = 0.006693421622965943;

/** Outside mainland China's bounding box the datum is not shifted. */
export function outsideChina({ lat, lng }: LatLng): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

export function wgs84ToGcj02(p: LatLng): LatLng {
  if (outsideChina(p)) return { ...p };
  const radLat = (p.lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (shiftLat(p.lng - 105, p.lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (shiftLng(p.lng - 105, p.lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: p.lat + dLat, lng: p.lng + dLng };
}

/** Iterated until the forward transform of the answer lands within 1e-9° (about 0.1 mm) of the input. */
export function gcj02ToWgs84(p: LatLng): LatLng {
  if (outsideChina(p)) return { ...p };
  let guess = { lat: p.lat, lng: p.lng };
  for (let i = 0; i < 30; i++) {
    const there = wgs84ToGcj02(guess);
    const dLat = there.lat - p.lat;
    const dLng = there.lng - p.lng;
    guess = { lat: guess.lat - dLat, lng: guess.lng - dLng };
    if (Math.abs(dLat) < 1e-9 && Math.abs(dLng) < 1e-9) break;
  }
  return guess;
}
