// `npm run build` runs this from dist/: the PGlite data folder a first start copies (pgliteTemplate.ts).
import { buildTemplate, templateFolders } from './pgliteTemplate.js';

const out = process.argv[2] ?? templateFolders[0];
const started = performance.now();
await buildTemplate(out);
console.log(`PGlite template in ${out} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
