import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CORPUS_DIR } from '../classifier/corpus.js';
import { readRealLabels, type RealLabel } from '../real/labels.js';
import { loadDefaultTaxonomy } from '../taxonomy/load.js';
import { cohensKappa } from '../eval/agreement.js';
import { parseArgs, UsageError } from './args.js';

const USAGE = `usage: npm run nlp:agreement -- [--first FILE] [--second FILE]
Agreement between two labelling passes over the same messages (by src and id):
default nlp/corpus/real/labels.jsonl and nlp/corpus/real/labels-pass2.jsonl.`;

function main(argv: string[]): void {
  const args = parseArgs(argv, { lists: [], flags: ['help'], values: ['first', 'second'] });
  if (args.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const first = args.value('first') ?? join(DEFAULT_CORPUS_DIR, 'real', 'labels.jsonl');
  const second = args.value('second') ?? join(DEFAULT_CORPUS_DIR, 'real', 'labels-pass2.jsonl');
  for (const f of [first, second]) if (!existsSync(f)) throw new UsageError(`no labels at ${f}`);
  const taxonomy = loadDefaultTaxonomy();
  const one = new Map(readRealLabels(first, taxonomy).labels.map((l) => [l.key, l]));
  const pairs: [RealLabel, RealLabel][] = [];
  for (const l of readRealLabels(second, taxonomy).labels) {
    const other = one.get(l.key);
    if (other) pairs.push([other, l]);
  }
  if (pairs.length === 0) throw new UsageError('the two files share no message');
  const share = (same: (a: RealLabel, b: RealLabel) => boolean) =>
    (pairs.filter(([a, b]) => same(a, b)).length / pairs.length).toFixed(4);
  const city = (k: string) => (k === '非城管' ? '非城管' : '城管');
  console.log(`messages in both passes: ${pairs.length}`);
  console.log(`kind_agreement: ${share((a, b) => a.kind === b.kind)}`);
  console.log(`kind_kappa: ${cohensKappa(pairs.map(([a, b]) => [a.kind, b.kind])).toFixed(4)}`);
  console.log(`city_vs_other_agreement: ${share((a, b) => city(a.kind) === city(b.kind))}`);
  console.log(`kind_major_agreement: ${share((a, b) => a.kind === b.kind && a.major === b.major)}`);
  console.log(`minor_agreement: ${share((a, b) => a.minor === b.minor)}`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
