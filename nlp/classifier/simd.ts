import type { SparseVector } from './model.js';
import type { SparseWeights } from './sparse.js';

/**
 * The 小类 model's scores with WebAssembly SIMD: the sparse weights laid out again as
 * a dense row per feature (the weights `sparseWeights` left out are zeros), and each of
 * the text's feature rows added to the scores two classes at a time.
 *
 * The result is bit-for-bit `sparseLogits`': for every class the same products
 * (float32 weight × float32 value, in float64) are added in the same order, starting
 * from the bias; the zeros add nothing. WebAssembly has no fused multiply-add in its
 * SIMD instructions, so every product and sum rounds as JavaScript's do.
 * tests/nlp/fastpath.test.ts checks the equality on real-shaped texts.
 */

// The function, hand-assembled (no toolchain in the build):
//   score(rows, values, n, groups, out): for each group g of eight classes, with the
//   scores in registers, for k < n: out[8g .. 8g+7] += values[k] × f64(weights at rows[k] + 32g)
// rows[k] is the byte offset of the text's k-th feature row, values[k] its value twice
// (an f64 pair). Classes are summed in the text's feature order, as sparseLogits does.
const L = { rows: 0, values: 1, n: 2, groups: 3, out: 4, g: 5, rp: 6, vp: 7, end: 8, goff: 9, wp: 10 };
const V = { acc0: 11, acc1: 12, acc2: 13, acc3: 14, w4: 15, v: 16, w4b: 17 };
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32 = (n: number) => [0x41, n]; // small non-negative constants: one LEB byte
const ADD = 0x6a;
const SHL = 0x74;
const GE_U = 0x4f;
const SIMD = 0xfd;
const v128load = (offset: number) => [SIMD, 0x00, 0x04, offset];
const v128store = (offset: number) => [SIMD, 0x0b, 0x04, offset];
const F64X2_PROMOTE_LOW = [SIMD, 0x5f];
const F64X2_ADD = [SIMD, 0xf0, 0x01];
const F64X2_MUL = [SIMD, 0xf2, 0x01];
const HIGH_HALF = [SIMD, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const brIf = (depth: number) => [0x0d, depth];
const br = (depth: number) => [0x0c, depth];

/** acc += v × promote(the weights' lanes 0–1, or after the shuffle 2–3). */
function accumulate(acc: number, w4: number, high: boolean): number[] {
  return [
    ...get(acc),
    ...get(V.v),
    ...get(w4),
    ...(high ? [...get(w4), ...HIGH_HALF] : []),
    ...F64X2_PROMOTE_LOW,
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...set(acc),
  ];
}

/** The address of group g's scores: out + 2 × goff (goff = 32g: eight f32 weights). */
const scoresAt = [...get(L.out), ...get(L.goff), ...i32(1), SHL, ADD];

const ACCUMULATORS = [V.acc0, V.acc1, V.acc2, V.acc3];

const BODY = [
  // locals: 6 × i32 (g, rp, vp, end, goff, wp), 7 × v128 (acc0–3, w4, v, w4b)
  0x02,
  0x06,
  0x7f,
  0x07,
  0x7b,
  // end = rows + 4n
  ...get(L.rows),
  ...get(L.n),
  ...i32(2),
  SHL,
  ADD,
  ...set(L.end),
  ...BLOCK,
  ...LOOP, // over groups of four classes
  ...get(L.g),
  ...get(L.groups),
  GE_U,
  ...brIf(1),
  ...ACCUMULATORS.flatMap((acc, i) => [...scoresAt, ...v128load(16 * i), ...set(acc)]),
  ...get(L.rows),
  ...set(L.rp),
  ...get(L.values),
  ...set(L.vp),
  ...BLOCK,
  ...LOOP, // over the text's feature rows
  ...get(L.rp),
  ...get(L.end),
  GE_U,
  ...brIf(1),
  ...get(L.rp),
  0x28,
  0x02,
  0x00, // i32.load: the row's byte offset
  ...get(L.goff),
  ADD,
  ...set(L.wp),
  ...get(L.wp),
  ...v128load(0),
  ...set(V.w4),
  ...get(L.wp),
  ...v128load(16),
  ...set(V.w4b),
  ...get(L.vp),
  ...v128load(0),
  ...set(V.v),
  ...accumulate(V.acc0, V.w4, false),
  ...accumulate(V.acc1, V.w4, true),
  ...accumulate(V.acc2, V.w4b, false),
  ...accumulate(V.acc3, V.w4b, true),
  ...get(L.rp),
  ...i32(4),
  ADD,
  ...set(L.rp),
  ...get(L.vp),
  ...i32(16),
  ADD,
  ...set(L.vp),
  ...br(0),
  END,
  END,
  ...ACCUMULATORS.flatMap((acc, i) => [...scoresAt, ...get(acc), ...v128store(16 * i)]),
  ...get(L.g),
  ...i32(1),
  ADD,
  ...set(L.g),
  ...get(L.goff),
  ...i32(32),
  ADD,
  ...set(L.goff),
  ...br(0),
  END,
  END,
  END, // end of function
];

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

const MODULE = Uint8Array.from([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
  ...section(2, [1, ...name('m'), ...name('m'), 0x02, 0x00, 1]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name('score'), 0x00, 0]),
  ...section(10, [1, ...leb(BODY.length), ...BODY]),
]);

type Score = (rows: number, values: number, n: number, groups: number, out: number) => void;

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(MODULE);
    } catch {
      compiled = null; // no SIMD here: the JavaScript path serves
    }
  }
  return compiled;
}

const PAGE = 65536;

/** Scores like sparseLogits, or null where WebAssembly SIMD is not available. */
export class SimdScorer {
  private readonly score: Score;
  private readonly groups: number;
  private readonly classes: number;
  private readonly bias: Float32Array;
  private readonly rowBytes: number;
  private readonly outAt: number;
  private readonly rowsAt: number;
  private readonly valuesAt: number;
  private readonly capacity: number;
  private readonly out: Float64Array;
  private readonly rows: Int32Array;
  private readonly values: Float64Array;

  static create(model: SparseWeights): SimdScorer | null {
    const module = wasmModule();
    if (!module) return null;
    try {
      return new SimdScorer(module, model);
    } catch {
      return null;
    }
  }

  private constructor(module: WebAssembly.Module, model: SparseWeights) {
    const rows = model.start.length - 1;
    this.classes = model.bias.length;
    this.bias = model.bias;
    this.groups = Math.max(1, Math.ceil(this.classes / 8));
    this.rowBytes = this.groups * 32;
    // A text has at most one entry per feature row.
    this.capacity = rows;
    this.outAt = rows * this.rowBytes;
    this.valuesAt = this.outAt + this.groups * 64;
    this.rowsAt = this.valuesAt + this.capacity * 16;
    const bytes = this.rowsAt + this.capacity * 4;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) + 1 });
    const instance = new WebAssembly.Instance(module, { m: { m: memory } });
    this.score = instance.exports.score as Score;
    const dense = new Float32Array(memory.buffer, 0, rows * this.groups * 8);
    const { start, classes, weights } = model;
    for (let r = 0; r < rows; r++) {
      const base = r * this.groups * 8;
      for (let e = start[r]; e < start[r + 1]; e++) dense[base + classes[e]] = weights[e];
    }
    this.out = new Float64Array(memory.buffer, this.outAt, this.groups * 8);
    this.values = new Float64Array(memory.buffer, this.valuesAt, this.capacity * 2);
    this.rows = new Int32Array(memory.buffer, this.rowsAt, this.capacity);
  }

  logits(x: SparseVector, out: Float64Array): Float64Array {
    const n = x.idx.length;
    if (n > this.capacity) throw new Error('more features than the model has rows');
    const scores = this.out;
    for (let c = 0; c < this.classes; c++) scores[c] = this.bias[c];
    scores.fill(0, this.classes);
    const { idx, val } = x;
    const rows = this.rows;
    const values = this.values;
    for (let k = 0; k < n; k++) {
      rows[k] = idx[k] * this.rowBytes;
      values[2 * k] = values[2 * k + 1] = val[k];
    }
    this.score(this.rowsAt, this.valuesAt, n, this.groups, this.outAt);
    for (let c = 0; c < this.classes; c++) out[c] = scores[c];
    return out;
  }
}
