import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { checkAreas } from '../../server/areas/validate.js';
import { importAreas } from '../../server/areas/import.js';
import { AreaLocator } from '../../server/areas/locator.js';
import { areas, gazetteerEntries, routingRules } from '../../server/db/schema.js';
import { seedDemo } from '../../server/seed/seed.js';
import { createTestDatabase } from '../helpers/db.js';
import type { Database } from '../../server/db/client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string) => path.join(root, 'tests/fixtures/geo', name);
const load = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8'));
const rect = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

describe('checking a city’s area file', () => {
  it('accepts a well-formed city', () => {
    const r = checkAreas(load('small-city.geojson'));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.areas.map((a) => a.level)).toEqual([
      'district',
      'street',
      'community',
      'community',
      'grid',
      'grid',
      'grid',
    ]);
  });

  it('names the feature with an unclosed ring, and the one outside its parent', () => {
    const r = checkAreas(load('malformed-city.geojson'));
    expect(r.errors).toEqual([
      '「和睦社区第2网格」（Q1-J1-S1-G2）：第 1 个环未闭合（首尾坐标不同）',
      expect.stringMatching(/^「安宁社区第1网格」（Q1-J1-S2-G1）：有 \d+ 处边界点在上级「安宁社区」之外$/),
    ]);
  });

  it('names overlapping siblings, reports gaps, and checks levels and parents', () => {
    const fc = load('small-city.geojson');
    fc.features[5].geometry = rect(116.005, 39.0, 116.02, 39.01); // 第2网格 now covers half of 第1网格
    fc.features[6].geometry = rect(116.0, 39.01, 116.015, 39.02); // 安宁社区 is no longer covered
    fc.features.push({
      type: 'Feature',
      properties: { code: 'X', name: '孤立网格', level: '网格', parent: 'NOPE' },
      geometry: rect(116, 39, 116.001, 39.001),
    });
    fc.features.push({
      type: 'Feature',
      properties: { code: 'Y', name: '错层网格', level: 'grid', parent: 'Q1-J1' },
      geometry: rect(116, 39, 116.001, 39.001),
    });
    fc.features.push({
      type: 'Feature',
      properties: { code: 'Z', name: '怪区域', level: '小区' },
      geometry: rect(116, 39, 116.001, 39.001),
    });
    const r = checkAreas(fc);
    expect(r.errors).toContain('「和睦社区第1网格」（Q1-J1-S1-G1）与「和睦社区第2网格」（Q1-J1-S1-G2）重叠');
    expect(r.errors).toContain('「孤立网格」（X）：上级 NOPE 不存在');
    expect(r.errors).toContain('「错层网格」（Y）：网格的上级应是社区，「长安街道」是街道');
    expect(r.errors.some((e) => e.startsWith('「怪区域」（Z）：level 应为'))).toBe(true);
    expect(r.warnings).toEqual(['「安宁社区」（Q1-J1-S2）：下级只覆盖了 75.0%，有空隙']);
  });
});

describe('importing a city’s areas', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo(database.db, {});
  });
  afterAll(() => database.close());

  it('a malformed file changes nothing: the demo city stays', async () => {
    const r = await importAreas(database.db, load('malformed-city.geojson'));
    expect(r.errors).toHaveLength(2);
    expect(r.imported).toBe(0);
    const [demo] = await database.db.select().from(areas).where(eq(areas.code, 'D01'));
    expect(demo.name).toBe('示范区');
  });

  it('a good file replaces the demo city in one go; rules naming removed areas are switched off', async () => {
    const r = await importAreas(database.db, load('small-city.geojson'));
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ imported: 7, removed: 49 });
    expect(r.deactivatedRules.length).toBeGreaterThan(0);
    const rules = await database.db.select().from(routingRules).where(eq(routingRules.active, true));
    expect(rules.every((rule) => rule.areaId == null)).toBe(true);
    expect(await database.db.select().from(gazetteerEntries)).toEqual([]);
    const locator = await AreaLocator.load(database.db);
    expect(locator.locatePoint(39.005, 116.015)?.names).toEqual(['新城区', '长安街道', '和睦社区', '和睦社区第2网格']);
  });

  it('the CLI names the bad feature and exits 1 without opening the database', async () => {
    const run = promisify(execFile);
    const err = await run(
      path.join(root, 'node_modules/.bin/tsx'),
      ['server/areas/importCli.ts', fixture('malformed-city.geojson')],
      {
        cwd: root,
      },
    ).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('错误：「和睦社区第2网格」（Q1-J1-S1-G2）：第 1 个环未闭合');
    expect(err.stderr).toContain('未导入：2 处错误，数据库未改动。');
  }, 60_000);
});
