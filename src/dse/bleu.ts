/**
 * Corpus BLEU-4 (Papineni et al. 2002) on pre-tokenized text (pure): clipped n-gram precisions for n = 1..4
 * summed over the corpus, their geometric mean, times the brevity penalty against the reference length
 * closest to each candidate (ties: the shorter). No smoothing, as in NLTK's corpus_bleu and the original
 * metric: a corpus without any matching 4-gram scores 0.
 */

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
