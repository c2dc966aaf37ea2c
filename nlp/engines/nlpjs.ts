import { createRequire } from 'node:module';
import type { Doc } from '../classifier/features.js';
import type { Engine } from './engine.js';

// node-nlp ships no types; this is the part of NlpManager the comparison uses.
interface NlpManager {
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<{ classifications?: { intent: string; score: number }[] }>;
}

const require = createRequire(import.meta.url);

function textOf(doc: Doc): string {
  return doc.tokens ? doc.tokens.join(' ') : (doc.text ?? '');
}

/**
 * node-nlp's NlpManager with its Chinese pipeline (dictionary tokenizer, neural
 * classifier). Kept for comparison only: it measured worse than ours (see README).
 */
export function nlpjsEngine(): Engine {
  return {
    name: 'nlpjs',
    async train(examples) {
      const { NlpManager: Manager } = require('node-nlp') as { NlpManager: new (settings: object) => NlpManager };
      const manager = new Manager({
        languages: ['zh'],
        forceNER: false,
        calculateSentiment: false,
        autoSave: false,
        autoLoad: false,
        nlu: { log: false, useNoneFeature: false },
        ner: { builtins: [] },
      });
      for (const e of examples) {
        const text = textOf(e).trim();
        if (text) manager.addDocument('zh', text, e.label);
      }
      await manager.train();
      return {
        async predict(doc) {
          const result = await manager.process('zh', textOf(doc));
          return (result.classifications ?? [])
            .filter((c) => c.intent !== 'None')
            .map((c) => ({ label: c.intent, p: c.score }));
        },
      };
    },
  };
}
