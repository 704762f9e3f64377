/**
 * Text → token ids for the server. Built-in models use the hash tokenizer (tokenizer-hash.ts); a
 * model whose manifest names a vocab.json uses greedy longest match over it (tokenizer-vocab.ts).
 * `frameIds` adds the model's special tokens and truncates to its limit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest } from './manifest.ts';
import { hashTokenize, type HashTokenizerInfo } from './tokenizer-hash.ts';
import { vocabTokenize, type VocabTokenizerInfo } from './tokenizer-vocab.ts';

export type TokenizerInfo = HashTokenizerInfo | VocabTokenizerInfo;

/** BERT's vocabulary keeps [PAD] 0, [unusedN] 1–998, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103 below 999. */
const BERT_FIRST_WORD_ID = 999;

export function tokenize(text: string, info: TokenizerInfo): number[] {
  return info.kind === 'hash' ? hashTokenize(text, info) : vocabTokenize(text, info);
}

/** The tokenizer for a model directory (reads its vocab.json when the manifest names one). */
export function loadTokenizer(dir: string, manifest: ModelManifest): TokenizerInfo {
  if (manifest.kind === 'classifier-image') throw new Error(`model ${manifest.name} takes images, not text`);
  if (manifest.tokenizer) return { kind: 'vocab', vocab: JSON.parse(readFileSync(join(dir, manifest.tokenizer), 'utf8')) as Record<string, number> };
  return hashTokenizerFor(manifest);
}

/** Hash ids avoid every special id: Marian's eos 0 and pad 65000; BERT's ids below 999. */
export function hashTokenizerFor(manifest: Exclude<ModelManifest, { kind: 'classifier-image' }>): HashTokenizerInfo {
  if (manifest.kind === 'translator') return { kind: 'hash', ...largestGap([manifest.eosId, manifest.padId], manifest.vocabSize) };
  return { kind: 'hash', firstId: Math.max(BERT_FIRST_WORD_ID, manifest.clsId, manifest.sepId, manifest.padId) + 1, endId: manifest.vocabSize };
}

/** The widest run of ids in [0, size) containing none of `specials`. */
export function largestGap(specials: number[], size: number): { firstId: number; endId: number } {
  const bounds = [-1, ...specials.filter((id) => id >= 0 && id < size).sort((a, b) => a - b), size];
  let best = { firstId: 0, endId: 0 };
  for (let i = 1; i < bounds.length; i++) {
    const gap = { firstId: bounds[i - 1]! + 1, endId: bounds[i]! };
    if (gap.endId - gap.firstId > best.endId - best.firstId) best = gap;
  }
  return best;
}

/** Content ids with the model's framing: [CLS] … [SEP] for classifiers, … </s> for translators, truncated to fit. */
export function frameIds(ids: number[], manifest: Exclude<ModelManifest, { kind: 'classifier-image' }>): number[] {
  if (manifest.kind === 'translator') return [...ids.slice(0, manifest.maxSourceTokens - 1), manifest.eosId];
  return [manifest.clsId, ...ids.slice(0, manifest.maxSequence - 2), manifest.sepId];
}
