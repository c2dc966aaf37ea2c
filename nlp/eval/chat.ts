import type { Classification, Classifier } from '../classifier/classify.js';

/** One chat-style row of our written corpus, classified by a model that did not train on it. */
export interface ChatOutcome {
  /** Its 小类 code. */
  label: string;
  result: Classification;
}

/**
 * What the chat bot makes of a whole-message report (server/chatbot): a classification without
 * needsReview is taken as sure and offered for confirmation; any other goes to a question.
 */
export interface ChatFigures {
  n: number;
  /** 小类 right, sure or not. */
  minor: number;
  /** Sure: confirmed without a question. */
  sure: number;
  /** 小类 right and sure: the citizen is offered the right category at once. */
  rightSure: number;
  /** 小类 wrong but sure: a wrong category offered for confirmation. */
  wrongSure: number;
}

export function classifyChat(classifier: Classifier, rows: readonly { text: string; label: string }[]): ChatOutcome[] {
  return rows.map((row) => ({ label: row.label, result: classifier.classify(row.text) }));
}

export function chatFigures(outcomes: readonly ChatOutcome[]): ChatFigures {
  let minor = 0;
  let sure = 0;
  let rightSure = 0;
  for (const o of outcomes) {
    const right = o.result.minor?.code === o.label;
    const isSure = o.result.minor !== null && !o.result.needsReview;
    if (right) minor++;
    if (isSure) sure++;
    if (right && isSure) rightSure++;
  }
  const n = outcomes.length;
  const share = (x: number) => (n === 0 ? 0 : x / n);
  return { n, minor: share(minor), sure: share(sure), rightSure: share(rightSure), wrongSure: share(sure - rightSure) };
}

export function formatChatFigures(f: ChatFigures): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `right and sure ${pct(f.rightSure)}, wrong but sure ${pct(f.wrongSure)}, sure ${pct(f.sure)}, 小类 ${f.minor.toFixed(4)} (${f.n} rows)`;
}
