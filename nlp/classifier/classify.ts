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
  /** P(非城管) at which the 非城管 side is chosen; the model's own value by default. */
  sideAt?: number;
}

export const DEFAULT_THRESHOLD = 0.5;

function ref(category: Category): CategoryRef {
  return { code: category.code, name: category.name };
}

function unjudged(reasons: ReviewReason[], entities: () => Entities): Classification {
  return withEntities(
    {
      kind: null,
      major: null,
      minor: null,
      confidence: 0,
      alternatives: [],
      needsReview: true,
      reviewReasons: reasons,
    },
    entities,
  );
}

/**
 * `entities` is found when first read, not before: place tagging costs more than the
 * whole category decision, and most callers (intake's vague check, the category
 * screens) never read it. The property is enumerable, so JSON and spreads carry it.
 */
function withEntities(result: Omit<Classification, 'entities'>, find: () => Entities): Classification {
  let found: Entities | undefined;
  return Object.defineProperty(result, 'entities', {
    enumerable: true,
    configurable: true,
    get: () => (found ??= find()),
    set: (value: Entities) => {
      found = value;
    },
  }) as Classification;
}

/**
 * The classification without its entities: what the classifier decided, as a record keeps it. The
 * entities are not read, so no place tagging runs (it costs more than the decision), and the phone
 * numbers and places found in the text are not copied beside the text they come from.
 */
export function decisionOf(result: Classification): Omit<Classification, 'entities'> {
  // Every field as it is but the entities, whose getter is never called (Object.keys does not call it).
  const decision: Record<string, unknown> = {};
  for (const key of Object.keys(result)) if (key !== 'entities') decision[key] = result[key as keyof Classification];
  return decision as Omit<Classification, 'entities'>;
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

const TOP = 3;

const before = (p: number, minor: Category, than: Scored) =>
  p > than.p || (p === than.p && minor.code < than.minor.code);

/** Inserts into `top` (best first, at most TOP long) if the 小类 belongs there. */
function keepTop(top: Scored[], minor: Category, p: number): void {
  if (top.length === TOP && !before(p, minor, top[TOP - 1])) return;
  let at = top.length === TOP ? TOP - 1 : top.length;
  while (at > 0 && before(p, minor, top[at - 1])) {
    top[at] = top[at - 1];
    at--;
  }
  top[at] = { minor, p };
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
  const sideAt = options.sideAt ?? model.sideAt ?? 0.5;
  // Labels the table does not know (a model from another city's table) are never offered.
  const known: (Category | undefined)[] = model.minor.labels.map((code) => {
    const minor = taxonomy.byCode(code);
    return minor?.level === '小类' ? minor : undefined;
  });
  const otherClasses = Int32Array.from(known.flatMap((minor, i) => (minor?.kind === '非城管' ? [i] : [])));

  const isOther = known.map((minor) => minor?.kind === '非城管');

  /**
   * The three most likely 小类 of each side: 小类 probabilities within the side, times
   * the stage's probability of that side; ties go to the smaller code.
   */
  function joint(pOther: number, probs: Float64Array): { city: Scored[]; other: Scored[] } {
    let sumCity = 0;
    let sumOther = 0;
    for (let i = 0; i < known.length; i++) {
      if (!known[i]) continue;
      if (isOther[i]) sumOther += probs[i];
      else sumCity += probs[i];
    }
    const city: Scored[] = [];
    const other: Scored[] = [];
    for (let i = 0; i < known.length; i++) {
      const minor = known[i];
      if (!minor) continue;
      if (isOther[i]) keepTop(other, minor, sumOther > 0 ? (pOther * probs[i]) / sumOther : 0);
      else keepTop(city, minor, sumCity > 0 ? ((1 - pOther) * probs[i]) / sumCity : 0);
    }
    return { city, other };
  }

  function classifyText(input: string): Classification {
    const text = normalizeText(input);
    const judgement = judgeText(text, limits);
    if (judgement.blocking) return unjudged(judgement.flags, () => safeEntities(text));

    const sample = text.length > limits.maxChars ? wellFormed(text.slice(0, limits.maxChars)) : text;
    const entities = () => safeEntities(sample);
    // P(非城管) from the gate and the 小类 model's 非城管 side (or, with a gate-only model
    // that is sure of 非城管, only the 非城管 小类 are scored).
    const scores = stagedScores(model, prepareText(sample, model.minor.features), otherClasses, transferAt);
    const sides = joint(scores.pOther, scores.minor);
    const otherSide = scores.pOther >= sideAt && sides.other.length > 0;
    const chosen = otherSide ? sides.other : sides.city;
    if (chosen.length === 0) return unjudged([...judgement.flags, 'low_confidence'], entities);
    const ranked = [...sides.city, ...sides.other]
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
    const result: Omit<Classification, 'entities'> = {
      kind: best.minor.kind,
      major: major ? ref(major) : null,
      minor: ref(best.minor),
      confidence: best.p,
      alternatives: [best, ...ranked].map((r) => ({ ...ref(r.minor), kind: r.minor.kind, confidence: r.p })),
      needsReview: reasons.length > 0,
      reviewReasons: reasons,
      pOther: scores.pOther,
    };
    if (transfer && best.minor.agency) result.transfer = { agency: best.minor.agency };
    return withEntities(result, entities);
  }

  return {
    classify(input: string): Classification {
      try {
        return classifyText(typeof input === 'string' ? input : String(input ?? ''));
      } catch {
        // Intake must go on whatever arrives; a person looks at what the model could not.
        return unjudged(['error'], noEntities);
      }
    },
  };
}
