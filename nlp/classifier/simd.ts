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
//   score(idx, val, n, weights, groups, out): for k < n, for g < groups:
//     out[4g .. 4g+3] += f64(val[k]) × f64(weights[idx[k]][4g .. 4g+3])
const LOCAL = { idx: 0, val: 1, n: 2, weights: 3, groups: 4, out: 5, k: 6, wp: 7, op: 8, g: 9, v: 10, w4: 11 };
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32 = (n: number) => [0x41, n]; // small non-negative constants: one LEB byte
const SIMD = 0xfd;
const v128load = (offset: number) => [SIMD, 0x00, 0x04, offset];
const v128store = (offset: number) => [SIMD, 0x0b, 0x04, offset];
const F64X2_SPLAT = [SIMD, 0x14];
const F64X2_PROMOTE_LOW = [SIMD, 0x5f];
const F64X2_ADD = [SIMD, 0xf0, 0x01];
const F64X2_MUL = [SIMD, 0xf2, 0x01];
const HIGH_HALF = [SIMD, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

/** out[pair] += v × promote(weights of the pair): lanes 0–1 or (after the shuffle) 2–3. */
function addPair(offset: number, high: boolean): number[] {
  return [
    ...get(LOCAL.op),
    ...get(LOCAL.op),
    ...v128load(offset),
    ...get(LOCAL.v),
    ...get(LOCAL.w4),
    ...(high ? [...get(LOCAL.w4), ...HIGH_HALF] : []),
    ...F64X2_PROMOTE_LOW,
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...v128store(offset),
  ];
}

const BODY = [
  // locals: 4 × i32 (k, wp, op, g), 2 × v128 (v, w4)
  0x02,
  0x04,
  0x7f,
  0x02,
  0x7b,
  0x02,
  0x40, // block
  0x03,
  0x40, // loop over the text's feature rows
  ...get(LOCAL.k),
  ...get(LOCAL.n),
  0x4f, // i32.ge_u
  0x0d,
  1, // br_if out of the block
  // wp = weights + idx[k] × groups × 16
  ...get(LOCAL.weights),
  ...get(LOCAL.idx),
  ...get(LOCAL.k),
  ...i32(2),
  0x74, // shl
  0x6a, // add
  0x28,
  0x02,
  0x00, // i32.load
  ...get(LOCAL.groups),
  0x6c, // mul
  ...i32(4),
  0x74,
  0x6a,
  ...set(LOCAL.wp),
  // v = splat(f64(val[k]))
  ...get(LOCAL.val),
  ...get(LOCAL.k),
  ...i32(2),
  0x74,
  0x6a,
  0x2a,
  0x02,
  0x00, // f32.load
  0xbb, // f64.promote_f32
  ...F64X2_SPLAT,
  ...set(LOCAL.v),
  ...get(LOCAL.out),
  ...set(LOCAL.op),
  ...get(LOCAL.groups),
  ...set(LOCAL.g),
  0x03,
  0x40, // loop over groups of four classes
  ...get(LOCAL.wp),
  ...v128load(0),
  ...set(LOCAL.w4),
  ...addPair(0, false),
  ...addPair(16, true),
  ...get(LOCAL.wp),
  ...i32(16),
  0x6a,
  ...set(LOCAL.wp),
  ...get(LOCAL.op),
  ...i32(32),
  0x6a,
  ...set(LOCAL.op),
  ...get(LOCAL.g),
  ...i32(1),
  0x6b, // sub
  0x22,
  LOCAL.g, // local.tee
  0x0d,
  0, // br_if: next group
  0x0b,
  ...get(LOCAL.k),
  ...i32(1),
  0x6a,
  ...set(LOCAL.k),
  0x0c,
  0, // br: next row
  0x0b,
  0x0b,
  0x0b, // end of function
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
  ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
  ...section(2, [1, ...name('m'), ...name('m'), 0x02, 0x00, 1]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name('score'), 0x00, 0]),
  ...section(10, [1, ...leb(BODY.length), ...BODY]),
]);

type Score = (idx: number, val: number, n: number, weights: number, groups: number, out: number) => void;

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
  private readonly outAt: number;
  private readonly idxAt: number;
  private readonly valAt: number;
  private readonly capacity: number;
  private readonly out: Float64Array;
  private readonly idx: Int32Array;
  private readonly val: Float32Array;

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
    this.groups = Math.max(1, Math.ceil(this.classes / 4));
    const rowBytes = this.groups * 16;
    // A text has at most one entry per feature row.
    this.capacity = rows;
    this.outAt = rows * rowBytes;
    this.idxAt = this.outAt + this.groups * 32;
    this.valAt = this.idxAt + this.capacity * 4;
    const bytes = this.valAt + this.capacity * 4;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) + 1 });
    const instance = new WebAssembly.Instance(module, { m: { m: memory } });
    this.score = instance.exports.score as Score;
    const dense = new Float32Array(memory.buffer, 0, rows * this.groups * 4);
    const { start, classes, weights } = model;
    for (let r = 0; r < rows; r++) {
      const base = r * this.groups * 4;
      for (let e = start[r]; e < start[r + 1]; e++) dense[base + classes[e]] = weights[e];
    }
    this.out = new Float64Array(memory.buffer, this.outAt, this.groups * 4);
    this.idx = new Int32Array(memory.buffer, this.idxAt, this.capacity);
    this.val = new Float32Array(memory.buffer, this.valAt, this.capacity);
  }

  logits(x: SparseVector, out: Float64Array): Float64Array {
    const n = x.idx.length;
    if (n > this.capacity) throw new Error('more features than the model has rows');
    const scores = this.out;
    for (let c = 0; c < this.classes; c++) scores[c] = this.bias[c];
    scores.fill(0, this.classes);
    this.idx.set(x.idx);
    this.val.set(x.val);
    this.score(this.idxAt, this.valAt, n, 0, this.groups, this.outAt);
    for (let c = 0; c < this.classes; c++) out[c] = scores[c];
    return out;
  }
}
