import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { datums, type Datum } from './datum.js';
import { parseCsv, parseGeoJson, replaceGazetteer } from './import.js';

// npm run gazetteer:import -- FILE.geojson|FILE.csv [--datum gcj02]
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && a !== args[args.indexOf('--datum') + 1]);
const datum = (args.includes('--datum') ? args[args.indexOf('--datum') + 1] : 'wgs84') as Datum;
if (!file || !datums.includes(datum)) {
  console.error(`用法：npm run gazetteer:import -- 文件.geojson|文件.csv [--datum ${datums.join('|')}]`);
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const parsed = path.extname(file).toLowerCase() === '.csv' ? parseCsv(text, datum) : parseGeoJson(text, datum);
if (parsed.errors.length) {
  for (const e of parsed.errors) console.error(`错误：${e}`);
  console.error('未导入，数据库未改动。');
  process.exit(1);
}
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pgdata`, poolMax: 2 });
try {
  const n = await replaceGazetteer(database.db, parsed.entries, path.basename(file));
  console.log(`已导入 ${n} 条地名地址（${datum} → WGS-84），请重启服务。`);
} finally {
  await database.close();
}
