import distance from '@turf/distance';

// Web Mercator by its formulas, so browser tests can say which ground point a pixel of a map is
// without asking the map library under test.

const R = 6378137;

export const toMercator = (p: { lat: number; lng: number }) => ({
  x: (R * p.lng * Math.PI) / 180,
  y: R * Math.log(Math.tan(Math.PI / 4 + (p.lat * Math.PI) / 360)),
});

export const fromMercator = (x: number, y: number) => ({
  lng: ((x / R) * 180) / Math.PI,
  lat: ((2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * 180) / Math.PI,
});

export const metres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) =>
  distance([a.lng, a.lat], [b.lng, b.lat], { units: 'meters' });
