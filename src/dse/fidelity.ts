/**
 * How closely a model variant's outputs follow the fp32 model's on the same inputs (pure): top-1 agreement
 * for classifiers, token agreement for translators' greedy outputs.
 */

export type Outputs = { kind: 'labels'; labels: number[] } | { kind: 'tokens'; sequences: number[][] };

export interface Fidelity {
  measure: 'top-1 agreement' | 'token agreement';
  agreement: number; // 0..1
  /** Instances whose whole output matched (the label, or every token). */
  exactMatches: number;
  instances: number;
}

export type FidelityResult = { ok: true; fidelity: Fidelity } | { ok: false; error: { code: 'fidelity_mismatch'; message: string } };

export function top1Agreement(reference: readonly number[], candidate: readonly number[]): number {
  if (reference.length === 0) return NaN;
  return reference.filter((label, i) => candidate[i] === label).length / reference.length;
}

/**
 * Matching tokens position by position over the longer of the two sequences, summed over the corpus: a
 * variant that stops early or runs on is penalised for every missing or extra token.
 */
export function tokenAgreement(reference: readonly (readonly number[])[], candidate: readonly (readonly number[])[]): number {
  let matched = 0;
  let positions = 0;
  reference.forEach((ref, i) => {
    const cand = candidate[i] ?? [];
    positions += Math.max(ref.length, cand.length);
    matched += ref.filter((token, j) => cand[j] === token).length;
  });
  return positions === 0 ? NaN : matched / positions;
}

export function fidelityOf(reference: Outputs, candidate: Outputs): FidelityResult {
  if (reference.kind === 'labels' && candidate.kind === 'labels' && reference.labels.length === candidate.labels.length) {
    const exact = reference.labels.filter((label, i) => candidate.labels[i] === label).length;
    const fidelity: Fidelity = { measure: 'top-1 agreement', agreement: top1Agreement(reference.labels, candidate.labels), exactMatches: exact, instances: reference.labels.length };
    return { ok: true, fidelity };
  }
  if (reference.kind === 'tokens' && candidate.kind === 'tokens' && reference.sequences.length === candidate.sequences.length) {
    const exact = reference.sequences.filter((seq, i) => sameTokens(seq, candidate.sequences[i] ?? [])).length;
    const fidelity: Fidelity = { measure: 'token agreement', agreement: tokenAgreement(reference.sequences, candidate.sequences), exactMatches: exact, instances: reference.sequences.length };
    return { ok: true, fidelity };
  }
  return { ok: false, error: { code: 'fidelity_mismatch', message: `cannot compare ${describe(candidate)} with the reference's ${describe(reference)}` } };
}

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((token, i) => b[i] === token);
}

function describe(outputs: Outputs): string {
  return outputs.kind === 'labels' ? `${outputs.labels.length} labels` : `${outputs.sequences.length} token sequences`;
}
