import { describe, expect, it } from 'vitest';
import { Gazetteer, along, metresBetween, type Proposal } from '../../server/geo/gazetteer.js';
import { chineseNumber, normalizeAddress } from '../../server/geo/normalize.js';
import { AreaLocator } from '../../server/areas/locator.js';
import { demoGazetteer } from '../../server/seed/demoGazetteer.js';
import { demoAreas, demoStreets } from '../../server/seed/demoCity.js';

const entries = demoGazetteer();
const gazetteer = new Gazetteer(entries);
const locator = new AreaLocator(
  demoAreas().map((a, i) => ({
    id: i + 1,
    code: a.code,
    name: a.name,
    level: a.level,
    parentId: null,
    geometry: a.geometry,
    aliases: a.aliases,
  })),
);
const road = (name: string) => entries.find((e) => e.kind === 'road' && e.name === name)!;
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const toChinese = (n: number) => String(n).replace(/\d/g, (d) => '零一二三四五六七八九'[Number(d)]);
/** One character changed, as a slip of the IME would: the second of the name. */
const typo = (s: string) => s[0] + (s[1] === '某' ? '甲' : '某') + s.slice(2);

interface Case {
  q: string;
  label: string;
  at: { lat: number; lng: number };
}

function houseCases(): Case[] {
  const out: Case[] = [];
  const styles = [
    (r: string, n: number) => `${r}${n}号`,
    (r: string, n: number) => `示范区${r}${fullWidth(String(n))}號门口`,
    (r: string, n: number) => `${r} ${toChinese(n)}号 附近`,
    (r: string, n: number) => `${typo(r)}${n}号`,
    (r: string, n: number) => `${r}${n}弄`,
  ];
  for (const st of demoStreets)
    for (const r of st.roads)
      [1, 2, 37, 88, 151, 204, 233, 300].forEach((n, i) => {
        const range = entries.find(
          (e) => e.kind === 'house' && e.road === r && (e.parity === 'odd') === (n % 2 === 1),
        )!;
        const t = (n - range.houseFrom!) / (range.houseTo! - range.houseFrom!);
        const q = styles[i % styles.length](r, n);
        out.push({ q, label: `${r}${n}${q.includes('弄') ? '弄' : '号'}`, at: along(range.geometry!.coordinates, t) });
      });
  return out;
}

function crossingCases(): Case[] {
  const formats = [
    (a: string, b: string) => `${a}与${b}交叉口`,
    (a: string, b: string) => `${a}和${b}路口`,
    (a: string, b: string) => `${a}${b}交叉口`,
    (a: string, b: string) => `${a}/${b}`,
    (a: string, b: string) => `${typo(a)}與${b}交叉口`,
  ];
  const out: Case[] = [];
  for (const st of demoStreets) {
    const [ns1, ew1, ns2, ew2] = st.roads;
    for (const [a, b] of [
      [ns1, ew1],
      [ns1, ew2],
      [ns2, ew1],
      [ew2, ns2],
    ])
      for (const f of formats) {
        const [x, y] = [road(a), road(b)];
        const at =
          x.geometry!.coordinates[0][0] === x.geometry!.coordinates[1][0]
            ? { lng: x.geometry!.coordinates[0][0], lat: y.geometry!.coordinates[0][1] }
            : { lng: y.geometry!.coordinates[0][0], lat: x.geometry!.coordinates[0][1] };
        out.push({ q: f(a, b), label: `${a}与${b}交叉口`, at });
      }
  }
  return out;
}

function placeCases(): Case[] {
  const out: Case[] = [];
  for (const e of entries.filter((x) => x.kind === 'poi' || x.kind === 'landmark')) {
    const at = { lat: e.lat, lng: e.lng };
    out.push({ q: e.name, label: e.name, at });
    out.push({ q: `${e.name}门口垃圾满了`, label: e.name, at });
    out.push({ q: `在${typo(e.name)}旁边`, label: e.name, at });
    out.push({ q: `　${fullWidth(e.name)}　`, label: e.name, at });
  }
  return out;
}

function check(cases: Case[]) {
  const misses: Array<{ q: string; want: string; got?: Proposal }> = [];
  for (const c of cases) {
    const [top] = gazetteer.search(c.q);
    if (!top || top.label !== c.label || metresBetween(top.lat, top.lng, c.at.lat, c.at.lng) > 5)
      misses.push({ q: c.q, want: c.label, got: top });
  }
  return misses;
}

describe('gazetteer', () => {
  it('normalises what citizens type: traditional, full-width, Chinese numerals, 號', () => {
    expect(normalizeAddress('東湖路１２號 ')).toBe('东湖路12号');
    expect(normalizeAddress('和平巷三百零五弄')).toBe('和平巷305弄');
    expect(chineseNumber('十二')).toBe(12);
    expect(chineseNumber('一二三')).toBe(123);
  });

  const houses = houseCases();
  const crossings = crossingCases();
  const places = placeCases();

  it(`finds ${houses.length} 门牌 addresses to within 5 m, in five spellings including a typo`, () => {
    expect(check(houses)).toEqual([]);
  });

  it(`finds ${crossings.length} intersections written five ways`, () => {
    const misses = check(crossings);
    expect(misses).toEqual([]);
    const [top] = gazetteer.search('东湖路与湖滨大道交叉口');
    expect(top.precision).toBe('intersection');
  });

  it(`finds ${places.length} POIs and landmarks, exact, in a sentence, misspelt and full-width`, () => {
    expect(check(places)).toEqual([]);
  });

  it('every proposal of the demo city lies in one of its grids', () => {
    for (const c of [...houses, ...crossings, ...places].slice(0, 400)) {
      const [top] = gazetteer.search(c.q);
      expect(locator.locatePoint(top.lat, top.lng)?.gridId, c.q).toBeTruthy();
    }
  });

  it('proposes nothing for text that names no place, and says a point back as an address', () => {
    expect(gazetteer.search('你好')).toEqual([]);
    const at = gazetteer.search('东湖路88号')[0];
    expect(gazetteer.reverse(at.lat, at.lng)?.label).toBe('东湖路88号附近');
  });
});
