import type { GazetteerEntry } from '../geo/gazetteer.js';
import { metresBetween } from '../geo/gazetteer.js';
import { DISTRICT_BOUNDS, demoStreets } from './demoCity.js';

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const line = (a: [number, number], b: [number, number]) => ({
  type: 'LineString' as const,
  coordinates: [a.map(round7), b.map(round7)],
});
/** Places a citizen names by what they are rather than by who lives there. */
const landmarkLike = /广场|公园|体育馆|站$|医院|学院$|大厦/;

/**
 * The demo city's gazetteer, laid out on its rectangles: in each street two roads run north–south
 * and two east–west (so they cross), 门牌 numbers run along each road (odd on one side, even on the
 * other, about 20 m apart), and each community's places stand inside that community.
 */
export function demoGazetteer(): GazetteerEntry[] {
  const { west, south, east, north } = DISTRICT_BOUNDS;
  const sw = (east - west) / demoStreets.length;
  const out: GazetteerEntry[] = [];
  demoStreets.forEach((st, si) => {
    const sWest = west + si * sw;
    st.roads.forEach((road, ri) => {
      const northSouth = ri % 2 === 0;
      const geometry = northSouth
        ? line([sWest + sw * (ri === 0 ? 0.3 : 0.7), south], [sWest + sw * (ri === 0 ? 0.3 : 0.7), north])
        : line(
            [sWest, south + (north - south) * (ri === 1 ? 0.25 : 0.75)],
            [sWest + sw, south + (north - south) * (ri === 1 ? 0.25 : 0.75)],
          );
      const [[x0, y0], [x1, y1]] = geometry.coordinates;
      out.push({
        kind: 'road',
        name: road,
        aliases: [],
        lat: round7((y0 + y1) / 2),
        lng: round7((x0 + x1) / 2),
        geometry,
      });
      const numbers = Math.round(metresBetween(y0, x0, y1, x1) / 20);
      // Odd numbers on the west or south side, even on the east or north, 10 m off the centre line.
      const side = (parity: 'odd' | 'even') => {
        const d = (parity === 'odd' ? -10 : 10) / (northSouth ? 111_320 * Math.cos((y0 * Math.PI) / 180) : 110_574);
        return line(northSouth ? [x0 + d, y0] : [x0, y0 + d], northSouth ? [x1 + d, y1] : [x1, y1 + d]);
      };
      for (const parity of ['odd', 'even'] as const)
        out.push({
          kind: 'house',
          name: `${road}${parity === 'odd' ? '单号' : '双号'}`,
          aliases: [],
          road,
          houseFrom: parity === 'odd' ? 1 : 2,
          houseTo: parity === 'odd' ? numbers * 2 - 1 : numbers * 2,
          parity,
          lat: round7((y0 + y1) / 2),
          lng: round7((x0 + x1) / 2),
          geometry: side(parity),
        });
    });
    const ch = (north - south) / st.communities.length;
    st.communities.forEach((c, ci) => {
      const cSouth = south + ci * ch;
      // Its office, inside its first grid cell (a demo community's centre is a corner of four cells).
      out.push({
        kind: 'community',
        name: c.name,
        aliases: [],
        lat: round7(cSouth + ch * 0.3),
        lng: round7(sWest + sw * 0.35),
      });
      c.places.forEach((place, pi) =>
        out.push({
          kind: landmarkLike.test(place) ? 'landmark' : 'poi',
          name: place,
          aliases: [],
          lat: round7(cSouth + ch * (0.4 + 0.1 * pi)),
          lng: round7(sWest + sw * (0.2 + 0.3 * pi)),
        }),
      );
    });
  });
  return out;
}
