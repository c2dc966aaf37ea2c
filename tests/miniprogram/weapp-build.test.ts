import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'miniprogram/dist/weapp');
const built = existsSync(path.join(dist, 'app.json'));

// The pages the citizen can reach; a page missing from app.json is unreachable in WeChat.
const PAGES = [
  'pages/index/index',
  'pages/report/index',
  'pages/mine/index',
  'pages/detail/index',
  'pages/query/index',
  'pages/board/index',
];

describe('mini-program weapp build', () => {
  it('exists', () => {
    expect(
      built,
      `miniprogram/dist/weapp/app.json is missing: run \`npm run build -w miniprogram\` (or \`npm run build:weapp -w miniprogram\`) first`,
    ).toBe(true);
  });

  it.runIf(built)('lists every page in app.json', () => {
    const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8'));
    expect(app.pages).toEqual(expect.arrayContaining(PAGES));
    expect(app.pages[0], 'the first page is the one WeChat opens').toBe('pages/index/index');
  });

  it.runIf(built)('has the .js, .wxml, .wxss and .json of each page', () => {
    const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8'));
    const missing = (app.pages as string[]).flatMap((page) =>
      ['.js', '.wxml', '.wxss', '.json']
        .map((ext) => `${page}${ext}`)
        .filter((f) => !existsSync(path.join(dist, f)) || statSync(path.join(dist, f)).size === 0),
    );
    expect(missing, `missing or empty in miniprogram/dist/weapp: ${missing.join(', ')}`).toEqual([]);
  });

  it.runIf(built)('ships the tab bar icons it names', () => {
    const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8'));
    const icons = (app.tabBar?.list ?? []).flatMap((t: { iconPath?: string; selectedIconPath?: string }) =>
      [t.iconPath, t.selectedIconPath].filter(Boolean),
    ) as string[];
    expect(icons.length).toBeGreaterThan(0);
    expect(icons.filter((i) => !existsSync(path.join(dist, i)))).toEqual([]);
  });

  it.runIf(built)('has the app files WeChat DevTools opens', () => {
    for (const f of ['app.js', 'app.json', 'app.wxss', 'project.config.json'])
      expect(existsSync(path.join(dist, f)), f).toBe(true);
    const project = JSON.parse(readFileSync(path.join(dist, 'project.config.json'), 'utf8'));
    expect(project.appid, 'project.config.json needs an appid (touristappid until a real one is set)').toBeTruthy();
  });

  it.runIf(built)('picks the place on WeChat’s own map, and carries no OpenLayers (h5 only)', () => {
    expect(readFileSync(path.join(dist, 'base.wxml'), 'utf8')).toMatch(/<map [^>]*markers=/);
    const page = readFileSync(path.join(dist, 'pages/report/index.js'), 'utf8');
    expect(page).toContain('picker-map');
    expect(page).toContain('/assets/map/pin.png');
    expect(existsSync(path.join(dist, 'assets/map/pin.png')), 'the pin icon the map marker names').toBe(true);
    const scripts = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    // OpenLayers' own words: its map event and its projection code.
    const withOl = scripts.filter((f) => /singleclick|EPSG:3857/.test(readFileSync(path.join(dist, f), 'utf8')));
    expect(withOl).toEqual([]);
  });
});
