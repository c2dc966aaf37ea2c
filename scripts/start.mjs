// `npm start`: build what the browser needs if it is stale, then run the service in this process's place.
import { spawn } from 'node:child_process';
import { buildUis } from './uis.mjs';

buildUis();
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
