/**
 * How closely a model variant's outputs follow the fp32 model's on the same inputs: top-1 agreement for
 * classifiers, token agreement for translators' greedy outputs, character agreement (1 − CER against fp32's
 * text) for text recognizers (pure). A text recognizer's workload lines come with the strings they show, so
 * its variants are also scored against that ground truth: character accuracy, 1 − CER (character-accuracy.ts).
 * For classifiers it also tells whether the disagreements are near-ties of the reference (labels its scores barely preferred) or confident labels
 * lost. The inputs are distinct instances from the seeded workload generator the load generator uses, so the
 * outputs compared are those of the requests that were measured. The outputs come from running each variant
 * in-process with the server's own runners (the same parsing, batching and greedy decoding as in the
 * containers), opened on the variant's directory at its graph-optimization level, without HTTP or Docker:
 * the reference is fp32 with graph optimizations disabled (the graph as exported), and outputs are cached per
 * (precision, level), since several variants share them.
 */
import { median } from 'simple-statistics';
import { workloadFor, type WorkloadModel } from '../../load/workloads/index.ts';
import { isTextLineModel, labelledTextLines } from '../../load/workloads/text-lines.ts';
import { openRunner, readManifest } from '../../server/model-loader.ts';
import type { GraphOptimizationLevel } from '../../server/protocol.ts';
import type { Runner } from '../../server/runners/runner.ts';
import { sessionOpener } from '../../server/session.ts';
import { loadTokenizer } from '../../server/tokenizer-loader.ts';
import { characterScore } from './character-accuracy.ts';

/** `margins[i]`: how far the chosen label led on instance i (see topMargin). */
export type Outputs = { kind: 'labels'; labels: number[]; margins?: number[] } | { kind: 'tokens'; sequences: number[][] } | { kind: 'texts'; texts: string[] };

export interface Fidelity {
  measure: 'top-1 agreement' | 'token agreement' | 'character agreement';
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
  if (reference.kind === 'texts' && candidate.kind === 'texts' && reference.texts.length === candidate.texts.length) {
    const score = characterScore(reference.texts, candidate.texts);
    return { ok: true, fidelity: { measure: 'character agreement', agreement: score.accuracy, exactMatches: score.exactMatches, instances: score.lines } };
  }
  return { ok: false, error: { code: 'fidelity_mismatch', message: `cannot compare ${describe(candidate)} with the reference's ${describe(reference)}` } };
}

/** A text recognizer's score against the strings its lines show. */
export interface Accuracy {
  measure: 'character accuracy';
  accuracy: number; // 0..1: 1 − CER
  exactMatches: number;
  instances: number;
}

export type AccuracyCheck = { ok: true; accuracy: Accuracy } | { ok: false; note: string };

export function accuracyOf(outputs: Outputs, references: readonly string[]): AccuracyCheck {
  if (outputs.kind !== 'texts' || outputs.texts.length !== references.length) return { ok: false, note: `cannot score ${describe(outputs)} against ${references.length} reference texts` };
  const score = characterScore(references, outputs.texts);
  return { ok: true, accuracy: { measure: 'character accuracy', accuracy: score.accuracy, exactMatches: score.exactMatches, instances: score.lines } };
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
  if (outputs.kind === 'labels') return `${outputs.labels.length} labels`;
  return outputs.kind === 'tokens' ? `${outputs.sequences.length} token sequences` : `${outputs.texts.length} texts`;
}

/** Why instances or outputs could not be had. */
type Failed = { ok: false; error: { code: string; message: string } };

/** `references[i]`: what instance i shows, when the workload knows it (text lines). */
export type InstancesResult = { ok: true; instances: unknown[]; references?: string[] } | Failed;

/** Instances compared unless told otherwise: text lines are scored against ground truth, which wants more of them. */
export function defaultFidelityInstances(model: WorkloadModel): number {
  return isTextLineModel(model) ? 200 : 32;
}

/** A generator's pool is small for images (16), so further seeds extend it. */
const MAX_SEEDS = 64;

export function fidelityInstances(model: WorkloadModel, count: number, firstSeed = 1): InstancesResult {
  if (isTextLineModel(model)) {
    const lines = labelledTextLines(count, firstSeed);
    if (!lines.ok) return { ok: false, error: { code: 'fonts_missing', message: lines.message } };
    return { ok: true, instances: lines.lines.map((line) => line.instance), references: lines.lines.map((line) => line.text) };
  }
  const seen = new Set<string>();
  const instances: unknown[] = [];
  for (let seed = firstSeed; seed < firstSeed + MAX_SEEDS && instances.length < count; seed++) {
    const made = workloadFor(model, { seed });
    if (!made.ok) return made;
    for (let drawn = 0; drawn < count && instances.length < count; drawn++) {
      const body = made.workload.bodies();
      if (seen.has(body)) break; // the pool came round: this seed has nothing new
      seen.add(body);
      instances.push(...(JSON.parse(body) as { instances: unknown[] }).instances);
    }
  }
  return { ok: true, instances: instances.slice(0, count) };
}

export type OutputsResult = { ok: true; outputs: Outputs } | Failed;

const BATCH = 8;

export async function variantOutputs(modelDir: string, graphLevel: GraphOptimizationLevel, instances: readonly unknown[]): Promise<OutputsResult> {
  const manifest = readManifest(modelDir);
  if (!manifest.ok) return { ok: false, error: { code: manifest.code, message: manifest.message } };
  // One intra-op thread: the machine is shared with the containers being measured, and speed is not the point here.
  const openSession = sessionOpener({ intraOpThreads: 1, interOpThreads: 0, executionMode: 'sequential', graphOptimizationLevel: graphLevel });
  const predictions = await predictAll(await openRunner(modelDir, manifest.manifest, { openSession, loadTokenizer }), instances);
  if (!predictions.ok) return predictions;
  return { ok: true, outputs: toOutputs(predictions.values) };
}

async function predictAll<I>(runner: Runner<I>, instances: readonly unknown[]): Promise<{ ok: true; values: unknown[] } | Failed> {
  try {
    const parsed: I[] = [];
    for (const [index, instance] of instances.entries()) {
      const one = runner.parse(instance);
      if (!one.ok) return { ok: false, error: { code: one.error.code, message: `workload instance ${index}: ${one.error.message}` } };
      parsed.push(one.value);
    }
    const values: unknown[] = [];
    for (let start = 0; start < parsed.length; start += BATCH) values.push(...(await runner.run(parsed.slice(start, start + BATCH))));
    return { ok: true, values };
  } finally {
    await runner.close();
  }
}

/** Classifiers answer {label, scores}; translators {token_ids}; text recognizers {text, confidence}. */
function toOutputs(predictions: readonly unknown[]): Outputs {
  const first = predictions[0] as Record<string, unknown> | undefined;
  if (first !== undefined && 'text' in first) return { kind: 'texts', texts: predictions.map((p) => (p as { text: string }).text) };
  if (first !== undefined && 'token_ids' in first) {
    return { kind: 'tokens', sequences: predictions.map((p) => (p as { token_ids: number[] }).token_ids) };
  }
  const classified = predictions as { label: number; scores: number[] }[];
  return { kind: 'labels', labels: classified.map((p) => p.label), margins: classified.map((p) => topMargin(p.scores)) };
}

export type FidelityCheck = { ok: true; fidelity: Fidelity } | { ok: false; note: string };

export class VariantOutputs {
  private readonly cache = new Map<string, Promise<Outputs | string>>();

  /** `dirFor` gives the model directory of a precision; `references`, what each instance shows, when known. */
  constructor(
    private readonly dirFor: (precision: string) => string,
    private readonly instances: readonly unknown[],
    private readonly references?: readonly string[],
  ) {}

  /** The outputs, or a one-line reason they could not be produced. */
  outputs(precision: string, level: GraphOptimizationLevel): Promise<Outputs | string> {
    const key = `${precision}/${level}`;
    let pending = this.cache.get(key);
    if (pending === undefined) {
      pending = variantOutputs(this.dirFor(precision), level, this.instances).then((r) => (r.ok ? r.outputs : r.error.message));
      this.cache.set(key, pending);
    }
    return pending;
  }

  async fidelity(precision: string, level: GraphOptimizationLevel): Promise<FidelityCheck> {
    const [reference, candidate] = await Promise.all([this.outputs('fp32', 'disabled'), this.outputs(precision, level)]);
    if (typeof reference === 'string') return { ok: false, note: `fp32 reference failed: ${reference}` };
    if (typeof candidate === 'string') return { ok: false, note: candidate };
    const compared = fidelityOf(reference, candidate);
    return compared.ok ? { ok: true, fidelity: compared.fidelity } : { ok: false, note: compared.error.message };
  }

  /** The variant against the ground truth; undefined when the instances have none. */
  async accuracy(precision: string, level: GraphOptimizationLevel): Promise<AccuracyCheck | undefined> {
    if (this.references === undefined) return undefined;
    const outputs = await this.outputs(precision, level);
    return typeof outputs === 'string' ? { ok: false, note: outputs } : accuracyOf(outputs, this.references);
  }
}
