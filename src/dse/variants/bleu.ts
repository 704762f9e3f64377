/**
 * BLEU for translator variants. Corpus BLEU-4 (Papineni et al. 2002) on pre-tokenized text (pure): clipped
 * n-gram precisions for n = 1..4 summed over the corpus, their geometric mean, times the brevity penalty
 * against the reference length closest to each candidate (ties: the shorter). No smoothing, as in NLTK's
 * corpus_bleu and the original metric: a corpus without any matching 4-gram scores 0. The references are a
 * file of `source<TAB>reference translation` lines (the Tatoeba/OPUS test-set layout); the candidates are a
 * real translator's greedy output ids turned back into text as MarianTokenizer.decode does (vocab.json's
 * pieces through target.spm; a bare vocab.json's ▁-marked pieces joined). Built-in models hash their tokens
 * and cannot be detokenized: their outputs are meaningless anyway.
 */
import { loadDetokenizer, type Detokenizer } from '../../models/tokenizer.ts';
import { readManifest } from '../../server/model-loader.ts';
import type { Outputs } from './fidelity.ts';

export type Tokens = readonly string[];

const MAX_ORDER = 4;

/** `references[i]` holds one or more reference translations of `candidates[i]`. */
export function bleu(candidates: readonly Tokens[], references: readonly (readonly Tokens[])[]): number {
  if (candidates.length !== references.length) throw new RangeError(`bleu: ${candidates.length} candidates but ${references.length} reference sets`);
  const matches = new Array<number>(MAX_ORDER).fill(0);
  const totals = new Array<number>(MAX_ORDER).fill(0);
  let candidateLength = 0;
  let referenceLength = 0;
  candidates.forEach((candidate, i) => {
    const refs = references[i] ?? [];
    for (let n = 1; n <= MAX_ORDER; n++) {
      const counts = ngramCounts(candidate, n);
      const maxRef = maxReferenceCounts(refs, n);
      for (const [gram, count] of counts) matches[n - 1]! += Math.min(count, maxRef.get(gram) ?? 0);
      totals[n - 1]! += Math.max(0, candidate.length - n + 1);
    }
    candidateLength += candidate.length;
    referenceLength += closestLength(candidate.length, refs);
  });
  if (matches.some((m) => m === 0)) return 0;
  const logPrecision = matches.reduce((sum, m, k) => sum + Math.log(m / totals[k]!), 0) / MAX_ORDER;
  return brevityPenalty(candidateLength, referenceLength) * Math.exp(logPrecision);
}

export function brevityPenalty(candidateLength: number, referenceLength: number): number {
  if (candidateLength === 0) return 0;
  return candidateLength > referenceLength ? 1 : Math.exp(1 - referenceLength / candidateLength);
}

/** Whitespace tokenization, for plain-text candidates and references. */
export function words(text: string): string[] {
  return text.trim().split(/\s+/).filter((w) => w !== '');
}

function ngramCounts(tokens: Tokens, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join('\u0000');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function maxReferenceCounts(references: readonly Tokens[], n: number): Map<string, number> {
  const max = new Map<string, number>();
  for (const reference of references) {
    for (const [gram, count] of ngramCounts(reference, n)) max.set(gram, Math.max(max.get(gram) ?? 0, count));
  }
  return max;
}

function closestLength(length: number, references: readonly Tokens[]): number {
  let best = references[0]?.length ?? 0;
  for (const reference of references) {
    const [d, dBest] = [Math.abs(reference.length - length), Math.abs(best - length)];
    if (d < dBest || (d === dBest && reference.length < best)) best = reference.length;
  }
  return best;
}

export type { Detokenizer };
export { isSentencePieceVocab, sentencePieceDetokenizer } from '../../models/tokenizer-vocab.ts';

export interface ReferencePair {
  source: string;
  reference: string;
}

export type PairsResult = { ok: true; pairs: ReferencePair[] } | { ok: false; error: { code: 'references_invalid'; message: string } };

/** Blank lines are skipped; a line without exactly one tab is refused by number. */
export function parseReferencePairs(text: string, origin: string): PairsResult {
  const pairs: ReferencePair[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const fields = line.split('\t');
    if (fields.length !== 2 || fields[0]!.trim() === '' || fields[1]!.trim() === '') {
      return { ok: false, error: { code: 'references_invalid', message: `${origin}:${index + 1}: expected "source<TAB>reference", got ${fields.length - 1} tab(s)` } };
    }
    pairs.push({ source: fields[0]!.trim(), reference: fields[1]!.trim() });
  }
  if (pairs.length === 0) return { ok: false, error: { code: 'references_invalid', message: `${origin} holds no source/reference pair` } };
  return { ok: true, pairs };
}

export type BleuResult = { ok: true; bleu: number; sentences: number } | { ok: false; note: string };

/** Why BLEU cannot be computed for this model directory, or its detokenizer (target.spm for a Marian export). */
export async function bleuDetokenizer(modelDir: string): Promise<{ ok: true; detokenize: Detokenizer } | { ok: false; note: string }> {
  const read = readManifest(modelDir);
  if (!read.ok) return { ok: false, note: read.message };
  const manifest = read.manifest;
  if (manifest.kind !== 'translator') return { ok: false, note: 'BLEU applies to translators only' };
  if (manifest.synthetic) return { ok: false, note: 'built-in models have synthetic weights: their translations are meaningless, BLEU would be noise' };
  if (manifest.tokenizer === undefined) return { ok: false, note: 'the model has no tokenizer (vocab.json, source.spm, target.spm) to turn its output ids back into words' };
  const detokenize = await loadDetokenizer(modelDir, manifest);
  return detokenize ? { ok: true, detokenize } : { ok: false, note: 'the tokenizer is not SentencePiece: its pieces cannot be joined back into words' };
}

/** Corpus BLEU of one variant's greedy translations of the pairs' sources (instances in pair order). */
export function bleuOf(outputs: Outputs, pairs: readonly ReferencePair[], detokenize: Detokenizer): BleuResult {
  if (outputs.kind !== 'tokens' || outputs.sequences.length !== pairs.length) return { ok: false, note: 'translations do not line up with the references' };
  const candidates = outputs.sequences.map((ids) => words(detokenize(ids)));
  return { ok: true, bleu: bleu(candidates, pairs.map((p) => [words(p.reference)])), sentences: pairs.length };
}

/** For the terminal: `BLEU int8: 31.2 on 100 sentences`, or why there is no score. */
export function bleuLine(label: string, result: BleuResult): string {
  return `BLEU ${label}: ${result.ok ? `${(result.bleu * 100).toFixed(1)} on ${result.sentences} sentences` : result.note}`;
}
