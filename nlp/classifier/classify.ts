import { entitiesOfNormalized, type Entities } from '../extract/entities.js';
import { isVague } from '../text/boilerplate.js';
import { DEFAULT_LIMITS, judgeText, type ReviewReason, type TextLimits } from '../text/judgeable.js';
import { normalizeText, wellFormed } from '../text/normalize.js';
import type { Category, Kind, Taxonomy } from '../taxonomy/schema.js';
import { prepareText } from './features.js';
import { stagedScores, type StagedModel } from './staged.js';

export interface CategoryRef {
  code: string;
  name: string;
}

export interface Alternative extends CategoryRef {
  kind: Kind;
  confidence: number;
}

/**
 * The classifier's answer for one message. When the text cannot be judged at all
 * (empty, emoji-only, no Chinese, too short, one character repeated) kind, major and
 * minor are null, confidence is 0 and alternatives is empty; reviewReasons says why.
 */
export interface Classification {
  kind: Kind | null;
  major: CategoryRef | null;
  minor: CategoryRef | null;
  /** Calibrated probability of the 小类. */
  confidence: number;
  /** The three most likely 小类, best first (the first is `minor`). */
  alternatives: Alternative[];
  needsReview: boolean;
  reviewReasons: ReviewReason[];
  entities: Entities;
  /**
   * Set for 非城管 only when the 城管/非城管 stage is sure (pOther ≥ its transfer
   * threshold): the department the case is transferred (转办) to. A 非城管 guess below
   * that is flagged `uncertain_transfer` and has no transfer.
   */
  transfer?: { agency: string };
  /** The 城管/非城管 stage's calibrated probability that the message is not 城管's. */
  pOther?: number;
}

export interface Classifier {
  classify(text: string): Classification;
}

export interface ClassifierOptions {
  /** Below this confidence a classification is flagged for review. */
  threshold: number;
  limits: TextLimits;
  /** P(非城管) needed to suggest a transfer; the model's own value by default. */
  transferAt?: number;
}

export const DEFAULT_THRESHOLD = 0.5;

function ref(category: Category): CategoryRef {
  return { code: category.code, name: category.name };
}

function unjudged(reasons: ReviewReason[], entities: Entities): Classification {
  return {
    kind: null,
    major: null,
    minor: null,
    confidence: 0,
    alternatives: [],
    needsReview: true,
    reviewReasons: reasons,
    entities,
  };
}

function noEntities(): Entities {
  return { locations: [], times: [], phones: [] };
}

function safeEntities(text: string): Entities {
  try {
    return entitiesOfNormalized(text);
  } catch {
    return noEntities();
  }
}

interface Scored {
  minor: Category;
  p: number;
}

/** Wraps a staged model trained on 小类 codes into the taxonomy's terms. */
export function createClassifier(
  model: StagedModel,
  taxonomy: Taxonomy,
  options: Partial<ClassifierOptions> = {},
): Classifier {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const transferAt = options.transferAt ?? model.transferAt;
  // Labels the table does not know (a model from another city's table) are never offered.
  const known: (Category | undefined)[] = model.minor.labels.map((code) => {
    const minor = taxonomy.byCode(code);
    return minor?.level === '小类' ? minor : undefined;
  });
  const otherClasses = Int32Array.from(known.flatMap((minor, i) => (minor?.kind === '非城管' ? [i] : [])));

  /** 小类 probabilities within each side, times the gate's probability of that side. */
  function joint(pOther: number, probs: Float64Array): { city: Scored[]; other: Scored[] } {
    let sumCity = 0;
    let sumOther = 0;
    known.forEach((minor, i) => {
      if (!minor) return;
      if (minor.kind === '非城管') sumOther += probs[i];
      else sumCity += probs[i];
    });
    const city: Scored[] = [];
    const other: Scored[] = [];
    known.forEach((minor, i) => {
      if (!minor) return;
      if (minor.kind === '非城管') other.push({ minor, p: sumOther > 0 ? (pOther * probs[i]) / sumOther : 0 });
      else city.push({ minor, p: sumCity > 0 ? ((1 - pOther) * probs[i]) / sumCity : 0 });
    });
    const byP = (a: Scored, b: Scored) => b.p - a.p || (a.minor.code < b.minor.code ? -1 : 1);
    return { city: city.sort(byP), other: other.sort(byP) };
  }

  function classifyText(input: string): Classification {
    const text = normalizeText(input);
    const judgement = judgeText(text, limits);
    if (judgement.blocking) return unjudged(judgement.flags, safeEntities(text));

    const sample = text.length > limits.maxChars ? wellFormed(text.slice(0, limits.maxChars)) : text;
    const entities = safeEntities(sample);
    // P(非城管) from the gate and the 小类 model's 非城管 side (or, with a gate-only model
    // that is sure of 非城管, only the 非城管 小类 are scored).
    const scores = stagedScores(model, prepareText(sample, model.minor.features), otherClasses, transferAt);
    const sides = joint(scores.pOther, scores.minor);
    const otherSide = scores.pOther >= 0.5 && sides.other.length > 0;
    const chosen = otherSide ? sides.other : sides.city;
    if (chosen.length === 0) return unjudged([...judgement.flags, 'low_confidence'], entities);
    const ranked = [...sides.city.slice(0, 3), ...sides.other.slice(0, 3)]
      .filter((r) => r !== chosen[0])
      .sort((a, b) => b.p - a.p)
      .slice(0, 2);
    const best = chosen[0];
    const major = taxonomy.majorOf(best.minor.code);
    const reasons = [...judgement.flags];
    const vague = isVague(sample);
    if (vague) reasons.push('vague');
    if (best.p < threshold) reasons.push('low_confidence');
    const transfer = otherSide && scores.pOther >= transferAt && !vague;
    if (otherSide && !transfer) reasons.push('uncertain_transfer');
    const result: Classification = {
      kind: best.minor.kind,
      major: major ? ref(major) : null,
      minor: ref(best.minor),
      confidence: best.p,
      alternatives: [best, ...ranked].map((r) => ({ ...ref(r.minor), kind: r.minor.kind, confidence: r.p })),
      needsReview: reasons.length > 0,
      reviewReasons: reasons,
      entities,
      pOther: scores.pOther,
    };
    if (transfer && best.minor.agency) result.transfer = { agency: best.minor.agency };
    return result;
  }

  return {
    classify(input: string): Classification {
      try {
        return classifyText(typeof input === 'string' ? input : String(input ?? ''));
      } catch {
        // Intake must go on whatever arrives; a person looks at what the model could not.
        return unjudged(['error'], noEntities());
      }
    },
  };
}
