// The fourth labelling round's queue (issue #12, 2026-12-05): rows of the segmented TipDM file
// (teddy2020_train_segmented.jsonl: real messages of 附件2, segmented upstream with stop words removed;
// no ids, so a row is named by its 0-based position among the file's non-empty lines, src `segmented`).
// Only rows that are not a copy of any message of the two raw files (Han 3-shingles ≥ 50% contained
// either way, `copiesOfRaw`), so no held-out message reaches training through its segmented copy:
//   uncertain_seg: every such row the committed model (8817a89) gave P(非城管) < UNCERTAIN_BELOW;
//   random_seg:    of the others, the first RANDOM in sha1("seg4:" + position) order.
// Written to queue4.tsv (position, sample; no text). Labelling showed the text alone, never a prediction.
// Usage: npx tsx nlp/corpus/real/queue4.ts [--data-dir DIR]   (with nlp/model/model.json as of 8817a89)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createClassifier } from '../../classifier/classify.js';
import { deserializeStaged } from '../../classifier/staged.js';
import { readSegmentedRows, readSourceRows, resolveDataDir, segmentedText } from '../../real/data.js';
import { copiesOfRaw } from '../../real/dedup.js';
import { loadDefaultTaxonomy } from '../../taxonomy/load.js';

const UNCERTAIN_BELOW = 0.9;
const RANDOM = 168;

const i = process.argv.indexOf('--data-dir');
const dataDir = resolveDataDir(i > 0 ? process.argv[i + 1] : undefined);
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const rows = readSegmentedRows(dataDir);
const copies = copiesOfRaw(rows, readSourceRows(dataDir));
const { model } = deserializeStaged(readFileSync(new URL('../../model/model.json', import.meta.url), 'utf8'));
const classifier = createClassifier(model, loadDefaultTaxonomy());
const free = rows
  .map((row, at) => ({ at, p: copies[at].length ? -1 : (classifier.classify(segmentedText(row.tokens)).pOther ?? 1) }))
  .filter((r) => r.p >= 0);
const uncertain = free.filter((r) => r.p < UNCERTAIN_BELOW);
const random = free
  .filter((r) => r.p >= UNCERTAIN_BELOW)
  .sort((a, b) => (sha1(`seg4:${a.at}`) < sha1(`seg4:${b.at}`) ? -1 : 1))
  .slice(0, RANDOM);
const lines = [...uncertain.map((r) => `${r.at}\tuncertain_seg`), ...random.map((r) => `${r.at}\trandom_seg`)];
writeFileSync(new URL('./queue4.tsv', import.meta.url), lines.join('\n') + '\n');
console.log(`segmented ${rows.length}; not copies ${free.length}; uncertain ${uncertain.length}; random ${random.length}`);
