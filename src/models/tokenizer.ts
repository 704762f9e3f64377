/**
 * Text ↔ token ids for the server, by the manifest's tokenizer spec: SentencePiece for Marian exports
 * (tokenizer-sentencepiece.ts), WordPiece for BERT exports (tokenizer-wordpiece.ts), greedy longest match
 * over a bare vocab.json (tokenizer-vocab.ts), and the hash tokenizer for models with no tokenizer file
 * (the synthetic built-ins; tokenizer-hash.ts). `frameIds` adds the model's special tokens and truncates.
 */
import { join } from 'node:path';
import { readVocabularyFile } from './hf-config.ts';
import type { ModelManifest, TokenizerSpec } from './manifest.ts';
import { hashTokenize, type HashTokenizerInfo } from './tokenizer-hash.ts';
import { loadSentencePiece, marianDetokenizer, marianTokenize, type MarianInfo } from './tokenizer-sentencepiece.ts';
import { isSentencePieceVocab, sentencePieceDetokenizer, vocabTokenize, type VocabTokenizerInfo } from './tokenizer-vocab.ts';
import { wordPieceTokenize, type WordPieceInfo } from './tokenizer-wordpiece.ts';

export type TokenizerInfo = HashTokenizerInfo | VocabTokenizerInfo | WordPieceInfo | MarianInfo;
export type TextManifest = Extract<ModelManifest, { kind: 'translator' | 'classifier-text' }>;
/** Output ids → text (special ids skipped). */
export type Detokenizer = (ids: readonly number[]) => string;

/** BERT's vocabulary keeps [PAD] 0, [unusedN] 1–998, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103 below 999. */
const BERT_FIRST_WORD_ID = 999;
/** BertTokenizer's special tokens (kept whole in the text). */
const BERT_SPECIALS = ['[CLS]', '[SEP]', '[PAD]', '[MASK]', '[UNK]'];

export function tokenize(text: string, info: TokenizerInfo): number[] {
  switch (info.kind) {
    case 'hash':
      return hashTokenize(text, info);
    case 'vocab':
      return vocabTokenize(text, info);
    case 'wordpiece':
      return wordPieceTokenize(text, info);
    case 'sentencepiece':
      return marianTokenize(text, info);
  }
}

export function isTextManifest(manifest: ModelManifest): manifest is TextManifest {
  return manifest.kind === 'translator' || manifest.kind === 'classifier-text';
}

/** The tokenizer for a model directory: the one its manifest names, else the hash tokenizer. */
export async function loadTokenizer(dir: string, manifest: ModelManifest): Promise<TokenizerInfo> {
  if (!isTextManifest(manifest)) throw new Error(`model ${manifest.name} (${manifest.kind}) does not take text`);
  const spec = manifest.tokenizer;
  if (spec === undefined) return hashTokenizerFor(manifest);
  switch (spec.kind) {
    case 'vocab':
      return { kind: 'vocab', vocab: readVocab(dir, spec) };
    case 'wordpiece': {
      const vocab = new Map(Object.entries(readVocab(dir, spec)));
      const specialTokens = [...new Set([...BERT_SPECIALS, spec.unkToken])].filter((token) => vocab.has(token));
      return { ...spec, vocab, specialTokens };
    }
    case 'sentencepiece':
      return { kind: 'sentencepiece', source: await loadSentencePiece(join(dir, spec.source)), vocab: new Map(Object.entries(readVocab(dir, spec))), unkToken: spec.unkToken };
  }
}

/** A translator's output ids → text, when its tokenizer can do that (SentencePiece, or a vocab.json of ▁-marked pieces). */
export async function loadDetokenizer(dir: string, manifest: ModelManifest): Promise<Detokenizer | undefined> {
  if (manifest.kind !== 'translator' || manifest.tokenizer === undefined) return undefined;
  const spec = manifest.tokenizer;
  const vocab = readVocab(dir, spec);
  const specials = [manifest.eosId, manifest.padId];
  if (spec.kind === 'sentencepiece') return marianDetokenizer(await loadSentencePiece(join(dir, spec.target)), new Map(Object.entries(vocab)), specials, spec.unkToken);
  return isSentencePieceVocab(vocab) ? sentencePieceDetokenizer(vocab, specials) : undefined;
}

function readVocab(dir: string, spec: TokenizerSpec): Record<string, number> {
  return readVocabularyFile(join(dir, spec.vocab));
}

/** Hash ids avoid every special id: Marian's eos 0 and pad 65000; BERT's ids below 999. */
export function hashTokenizerFor(manifest: TextManifest): HashTokenizerInfo {
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
export function frameIds(ids: number[], manifest: TextManifest): number[] {
  if (manifest.kind === 'translator') return [...ids.slice(0, manifest.maxSourceTokens - 1), manifest.eosId];
  return [manifest.clsId, ...ids.slice(0, manifest.maxSequence - 2), manifest.sepId];
}
