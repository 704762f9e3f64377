/**
 * One row per model variant at its best configuration (pure but for the size on disk): size, latency,
 * throughput, cost, and output fidelity against fp32; throughput is also given relative to the first fp32
 * variant's. A model whose workload knows the right answers (ocr's rendered lines) also gets each variant's
 * accuracy against them; a model with synthetic weights gets a note that only agreement can be measured. As
 * text lines for the terminal, with each variant's best configuration.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StudyTrials } from '../../domain/records.ts';
import { bestTrial } from '../../domain/trials.ts';
import { formatParams, formatSpeedup, formatValue } from '../../report/format.ts';
import { textTable } from '../../report/table.ts';
import type { Params } from '../../space/params.ts';
import type { Accuracy, Fidelity } from './fidelity.ts';
import type { Variant } from './plan.ts';

/** A model's size: the bytes of every file in its directory (the .onnx files, tokenizer and manifest). */
export function directoryBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? directoryBytes(path) : entry.isFile() ? statSync(path).size : 0);
  }, 0);
}

export interface VariantMeasurement {
  variant: Variant;
  entry: StudyTrials;
  sizeBytes?: number;
  fidelity?: Fidelity;
  /** Why fidelity is missing, when it is. */
  fidelityNote?: string;
  /** Against the workload's ground truth, when it has one; or why it is missing. */
  accuracy?: Accuracy;
  accuracyNote?: string;
  /** The model's weights are seeded random numbers: its outputs mean nothing. */
  syntheticWeights?: boolean;
}

export interface VariantRow {
  label: string;
  studyId: string;
  sizeMb?: number;
  bestTrial?: number;
  meanMs?: number;
  p99Ms?: number;
  throughputRps?: number;
  usdPerMillion?: number;
  fidelity?: Fidelity;
  fidelityNote?: string;
  accuracy?: Accuracy;
  accuracyNote?: string;
  syntheticWeights?: boolean;
  /** This variant's throughput ÷ the fp32 reference variant's, both at their best configurations. */
  throughputVsFp32?: number;
  params?: Params;
}

export function variantRows(measurements: readonly VariantMeasurement[]): VariantRow[] {
  const rows = measurements.map(variantRow);
  const reference = rows.find((r, i) => measurements[i]!.variant.pins.precision === 'fp32' && r.throughputRps !== undefined);
  return rows.map((row) =>
    reference?.throughputRps && row.throughputRps !== undefined ? { ...row, throughputVsFp32: row.throughputRps / reference.throughputRps } : row,
  );
}

function variantRow(m: VariantMeasurement): VariantRow {
  const best = bestTrial(m.entry.trials, m.entry.study.objective);
  const metrics = best?.metrics;
  return {
    label: m.variant.label,
    studyId: m.variant.studyId,
    ...(m.sizeBytes !== undefined && { sizeMb: m.sizeBytes / 1e6 }),
    ...(best && metrics && {
      bestTrial: best.number,
      meanMs: metrics.meanMs,
      p99Ms: metrics.p99Ms,
      throughputRps: metrics.throughputRps,
      usdPerMillion: metrics.usdPerMillionRequests,
      params: best.params,
    }),
    ...(m.fidelity && { fidelity: m.fidelity }),
    ...(m.fidelityNote && { fidelityNote: m.fidelityNote }),
    ...(m.accuracy && { accuracy: m.accuracy }),
    ...(m.accuracyNote && { accuracyNote: m.accuracyNote }),
    ...(m.syntheticWeights && { syntheticWeights: true }),
  };
}

export function fidelityText(row: VariantRow): string {
  return row.fidelity === undefined ? (row.fidelityNote ?? '–') : scoreText(row.fidelity.agreement, row.fidelity);
}

export function accuracyText(row: VariantRow): string {
  return row.accuracy === undefined ? (row.accuracyNote ?? '–') : scoreText(row.accuracy.accuracy, row.accuracy);
}

function scoreText(share: number, score: { measure: string; exactMatches: number; instances: number }): string {
  return `${(share * 100).toFixed(1)}% ${score.measure} (${score.exactMatches}/${score.instances} exact)`;
}

/** Said under the table of a model with synthetic weights, whose outputs have no right answer to be scored against. */
export const SYNTHETIC_FIDELITY_NOTE =
  'the weights are synthetic (seeded random): agreement with fp32 measures how much a variant perturbs the arithmetic; fidelity cannot be judged against the task';

/**
 * Why an agreement falls short: the labels a variant changed were near-ties of fp32 (typical of synthetic
 * weights, whose scores are nearly flat) or labels fp32 was sure of.
 */
function disagreementLine(row: VariantRow): string | undefined {
  const margins = row.fidelity?.margins;
  if (margins === undefined) return undefined;
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  return `${row.label}: where it disagrees with fp32, fp32's top label led by a median ${percent(margins.differ)} of its score range (${percent(margins.agree)} where they agree)`;
}

export function variantTableLines(rows: readonly VariantRow[]): string[] {
  const scored = rows.some((r) => r.accuracy !== undefined || r.accuracyNote !== undefined);
  const header = ['variant', 'size MB', 'best #', 'mean ms', 'p99 ms', 'req/s', 'req/s vs fp32', 'USD/M req', 'fidelity vs fp32', ...(scored ? ['accuracy vs ground truth'] : [])];
  const cells = rows.map((r) => [
    r.label, formatValue(r.sizeMb), r.bestTrial === undefined ? '–' : String(r.bestTrial), formatValue(r.meanMs), formatValue(r.p99Ms),
    formatValue(r.throughputRps), formatSpeedup(r.throughputVsFp32), formatValue(r.usdPerMillion), fidelityText(r), ...(scored ? [accuracyText(r)] : []),
  ]);
  const synthetic = rows.some((r) => r.syntheticWeights) ? ['', `Fidelity: ${SYNTHETIC_FIDELITY_NOTE}.`] : [];
  const configs = rows.map((r) => `${r.label}: ${r.params ? formatParams(r.params) : 'no trial completed'}`);
  const disagreements = rows.map(disagreementLine).filter((line): line is string => line !== undefined);
  const why = disagreements.length > 0 ? ['', 'Disagreements:', ...disagreements] : [];
  return [...textTable(header, cells), ...synthetic, '', 'Best configurations:', ...configs, ...why];
}
