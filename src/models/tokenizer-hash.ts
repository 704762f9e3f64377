/**
 * The documented deterministic tokenizer of the built-in (synthetic) models, which have no real
 * vocabulary. Text is NFKC-normalized and lowercased; each CJK / kana / hangul character is one
 * token; runs of other letters and digits form one word token; every other non-space character
 * (punctuation, symbols) is its own token; whitespace separates and is dropped. A token's id is
 * firstId + FNV-1a(token) mod (endId − firstId), so ids always fall in a range free of special ids.
 */
import { hash32 } from './weights.ts';

export interface HashTokenizerInfo {
  kind: 'hash';
  /** Inclusive start and exclusive end of the ids tokens may take (specials live outside it). */
  firstId: number;
  endId: number;
}

const PIECE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}\p{M}]+|[^\s]/gu;

export function splitPieces(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(PIECE) ?? [];
}

export function hashTokenize(text: string, info: HashTokenizerInfo): number[] {
  const span = info.endId - info.firstId;
  return splitPieces(text).map((piece) => info.firstId + (hash32(piece) % span));
}
