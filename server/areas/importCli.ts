import { readFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { importAreas } from './import.js';
import { checkAreas } from './validate.js';

const file = process.argv[2];
if (!file) {
  console.error('用法：npm run areas:import -- 文件.geojson');
  process.exit(2);
}
let collection: unknown;
try {
  collection = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.error(`无法读取 ${file}：${(e as Error).message}`);
  process.exit(2);
}
// Checked before the database is opened: a bad file is reported without touching anything.
const checked = checkAreas(collection);
for (const w of checked.warnings) console.warn(`注意：${w}`);
if (checked.errors.length) {
  for (const e of checked.errors) console.error(`错误：${e}`);
  console.error(`未导入：${checked.errors.length} 处错误，数据库未改动。`);
  process.exit(1);
}
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pgdata`, poolMax: 2 });
try {
  const r = await importAreas(database.db, collection);
  if (r.errors.length) {
    for (const e of r.errors) console.error(`错误：${e}`);
    console.error(`未导入：${r.errors.length} 处错误，数据库未改动。`);
    process.exitCode = 1;
  } else {
    console.log(`已导入 ${r.imported} 个区域，删除 ${r.removed} 个旧区域。`);
    if (r.deactivatedRules.length)
      console.log(`已停用指向被删除区域的指挥手册规则：#${r.deactivatedRules.join('、#')}，请在系统管理中重新设置。`);
    console.log('请重启服务以使用新的网格。');
  }
} finally {
  await database.close();
}
