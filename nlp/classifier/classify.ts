import type { TaggedWord } from '@node-rs/jieba';
import { entitiesOf, extractEntities, type Entities } from '../extract/entities.js';
import { DEFAULT_LIMITS, judgeText, type ReviewReason, type TextLimits } from '../text/judgeable.js';
import { normalizeText, wellFormed } from '../text/normalize.js';
import { segmenter } from '../text/segment.js';
import type { Category, Kind, Taxonomy } from '../taxonomy/schema.js';
import { rank, segmentedProbabilities, type LinearModel } from './model.js';

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
  /** Set for 非城管: the department the case is transferred (转办) to. */
  transfer?: { agency: string };
}

export interface Classifier {
  classify(text: string): Classification;
}

export interface ClassifierOptions {
  /** Below this confidence a classification is flagged for review. */
  threshold: number;
  limits: TextLimits;
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

function safeEntities(text: string, tagged?: readonly TaggedWord[]): Entities {
  try {
    return tagged ? entitiesOf(text, tagged) : extractEntities(text);
  } catch {
    return noEntities();
  }
}

/** Wraps a model trained on 小类 codes into the taxonomy's terms. */
export function createClassifier(
  model: LinearModel,
  taxonomy: Taxonomy,
  options: Partial<ClassifierOptions> = {},
): Classifier {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const limits = options.limits ?? DEFAULT_LIMITS;
  // Labels the table does not know (a model from another city's table) are never offered.
  const known = new Map<string, Category>();
  for (const code of model.labels) {
    const minor = taxonomy.byCode(code);
    if (minor?.level === '小类') known.set(code, minor);
  }

  function classifyText(input: string): Classification {
    const text = normalizeText(input);
    const judgement = judgeText(text, limits);
    if (judgement.blocking) return unjudged(judgement.flags, safeEntities(text));

    const sample = text.length > limits.maxChars ? wellFormed(text.slice(0, limits.maxChars)) : text;
    // One jieba pass serves both the features and the place names.
    const tagged = segmenter().tag(sample, true);
    const entities = safeEntities(sample, tagged);
    const probs = segmentedProbabilities(model, { text: sample, words: tagged.map((w) => w.word) });
    const ranked = rank(model, probs)
      .map((r) => ({ minor: known.get(r.label), p: r.p }))
      .filter((r): r is { minor: Category; p: number } => r.minor !== undefined)
      .slice(0, 3);
    if (ranked.length === 0) return unjudged([...judgement.flags, 'low_confidence'], entities);

    const best = ranked[0];
    const major = taxonomy.majorOf(best.minor.code);
    const reasons = [...judgement.flags];
    if (best.p < threshold) reasons.push('low_confidence');
    const result: Classification = {
      kind: best.minor.kind,
      major: major ? ref(major) : null,
      minor: ref(best.minor),
      confidence: best.p,
      alternatives: ranked.map((r) => ({ ...ref(r.minor), kind: r.minor.kind, confidence: r.p })),
      needsReview: reasons.length > 0,
      reviewReasons: reasons,
      entities,
    };
    if (best.minor.kind === '非城管' && best.minor.agency) result.transfer = { agency: best.minor.agency };
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
