import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { seedDemo } from './seed.js';
import { printAccounts } from './print.js';

const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pgdata`, poolMax: 2 });
const result = await seedDemo(database.db);
if (result.seeded) printAccounts(result.accounts);
else console.log('数据库已有数据，未重复初始化演示城市（分类表已同步）。');
await database.close();
