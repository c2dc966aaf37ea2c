import { writeFileSync } from 'node:fs';
import { hasTexts, readSourceRows, resolveDataDir } from '../real/data.js';
import { DEFAULT_SPLIT_PATH } from '../real/labels.js';
import { computeSplit } from '../real/split.js';
import { parseArgs, UsageError } from './args.js';

const USAGE = `usage: npm run nlp:split -- [--data-dir DIR] [--out FILE]
Groups the real messages with their near-copies and writes the held-out split
(default nlp/corpus/real/split.json). Deterministic: the same data gives the same file.`;

function main(argv: string[]): void {
  const args = parseArgs(argv, { lists: [], flags: ['help'], values: ['data-dir', 'out'] });
  if (args.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const dataDir = resolveDataDir(args.value('data-dir'));
  if (!hasTexts(dataDir)) throw new UsageError(`no TipDM messages in ${dataDir}`);
  const rows = readSourceRows(dataDir);
  const started = performance.now();
  const split = computeSplit(rows);
  const out = args.value('out') ?? DEFAULT_SPLIT_PATH;
  writeFileSync(out, `${JSON.stringify(split, null, 1)}\n`);
  const grouped = Object.keys(split.groups).length;
  const groups = new Set(Object.values(split.groups)).size;
  console.log(`messages: ${rows.length}, in near-duplicate groups: ${grouped} (${groups} groups)`);
  console.log(`held out: ${split.test.length} (${((100 * split.test.length) / rows.length).toFixed(1)}%)`);
  console.log(`ms: ${Math.round(performance.now() - started)}`);
  console.log(`split: ${out}`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
