import { hashFeatures, type Segmented } from './features.js';
import { logits, readModelFile, modelFile, softmax, vectorize, type LinearModel, type ModelFile } from './model.js';

export const GATE_CITY = '城管';
export const GATE_OTHER = '非城管';

/**
 * The product model in two stages. The gate decides 城管 vs 非城管 on its own, trained
 * as a binary question over every labelled message and calibrated, so that a transfer
 * to another agency rests on that question's evidence alone; the 小类 model then ranks
 * the 小类 within the side the gate chose. Both read the same features, hashed once.
 */
export interface StagedModel {
  gate: LinearModel;
  minor: LinearModel;
  /** A transfer is suggested only when P(非城管) reaches this; between 0.5 and it, review. */
  transferAt: number;
}

export const STAGED_FORMAT = 'chengguan-staged/1';

export interface StagedScores {
  /** P(非城管) from the gate. */
  pOther: number;
  /** 小类 probabilities from the 小类 model, indexed like minor.labels. */
  minor: Float64Array;
}

export function stagedScores(model: StagedModel, doc: Segmented): StagedScores {
  // The two models share features and settings, so one hashing serves both.
  const counts = hashFeatures(doc, model.minor.features);
  const gx = vectorize(counts, model.gate.index, model.gate.idf);
  const g = softmax(logits(model.gate, gx, new Float64Array(model.gate.labels.length)), model.gate.temperature);
  const other = model.gate.labels.indexOf(GATE_OTHER);
  const mx = vectorize(counts, model.minor.index, model.minor.idf);
  const minor = softmax(logits(model.minor, mx, new Float64Array(model.minor.labels.length)), model.minor.temperature);
  return { pOther: other < 0 ? 0 : g[other], minor };
}

export function serializeStaged(model: StagedModel, meta: Record<string, unknown>): string {
  return JSON.stringify({
    format: STAGED_FORMAT,
    transferAt: model.transferAt,
    gate: modelFile(model.gate),
    minor: modelFile(model.minor),
    meta,
  });
}

export function deserializeStaged(json: string): { model: StagedModel; meta: Record<string, unknown> } {
  const file = JSON.parse(json) as {
    format?: string;
    transferAt?: number;
    gate?: ModelFile;
    minor?: ModelFile;
    meta?: Record<string, unknown>;
  };
  if (file.format !== STAGED_FORMAT || !file.gate || !file.minor) {
    throw new Error(`unknown model format ${String(file.format)}`);
  }
  return {
    model: {
      gate: readModelFile(file.gate).model,
      minor: readModelFile(file.minor).model,
      transferAt: typeof file.transferAt === 'number' ? file.transferAt : 0.9,
    },
    meta: file.meta ?? {},
  };
}
