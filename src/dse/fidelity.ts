/**
 * How closely a model variant's outputs follow the fp32 model's on the same inputs (pure): top-1 agreement
 * for classifiers, token agreement for translators' greedy outputs. For classifiers it also tells whether the
 * disagreements are near-ties of the reference (labels its scores barely preferred) or confident labels lost.
 */
import { median } from 'simple-statistics';

/** `margins[i]`: how far the chosen label led on instance i (see topMargin). */
export type Outputs = { kind: 'labels'; labels: number[]; margins?: number[] } | { kind: 'tokens'; sequences: number[][] };

export interface Fidelity {
  measure: 'top-1 agreement' | 'token agreement';
  agreement: number; // 0..1
  /** Instances whose whole output matched (the label, or every token). */
  exactMatches: number;
  instances: number;
  /** The reference's median top-1 margin where the variant disagrees and where it agrees (classifiers with scores). */
  margins?: { differ: number; agree: number };
}

/** The top label's lead over the runner-up, as a share of the whole score range (0: a tie). */
export function topMargin(scores: readonly number[]): number {
  const sorted = [...scores].sort((a, b) => b - a);
  const range = sorted[0]! - sorted.at(-1)!;
  return range > 0 ? (sorted[0]! - sorted[1]!) / range : 0;
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
    const margins = marginsBySide(reference.labels, candidate.labels, reference.margins);
    return { ok: true, fidelity: margins ? { ...fidelity, margins } : fidelity };
  }
  if (reference.kind === 'tokens' && candidate.kind === 'tokens' && reference.sequences.length === candidate.sequences.length) {
    const exact = reference.sequences.filter((seq, i) => sameTokens(seq, candidate.sequences[i] ?? [])).length;
    const fidelity: Fidelity = { measure: 'token agreement', agreement: tokenAgreement(reference.sequences, candidate.sequences), exactMatches: exact, instances: reference.sequences.length };
    return { ok: true, fidelity };
  }
  return { ok: false, error: { code: 'fidelity_mismatch', message: `cannot compare ${describe(candidate)} with the reference's ${describe(reference)}` } };
}

/** Median reference margins where the labels differ and where they agree; undefined unless both sides exist. */
function marginsBySide(reference: readonly number[], candidate: readonly number[], margins: readonly number[] | undefined): Fidelity['margins'] {
  if (margins === undefined || margins.length !== reference.length) return undefined;
  const differ = margins.filter((_, i) => candidate[i] !== reference[i]);
  const agree = margins.filter((_, i) => candidate[i] === reference[i]);
  return differ.length > 0 && agree.length > 0 ? { differ: median(differ), agree: median(agree) } : undefined;
}

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((token, i) => b[i] === token);
}

function describe(outputs: Outputs): string {
  return outputs.kind === 'labels' ? `${outputs.labels.length} labels` : `${outputs.sequences.length} token sequences`;
}
