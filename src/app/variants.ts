/**
 * `tune variants`: one study per model variant (precision × graph-optimization level, both pinned), then each
 * variant at its best configuration: size on disk, latency, throughput, cost, and the fidelity of its outputs
 * against fp32 on the workload (computed in-process), accuracy against ground truth where the workload knows it
 * (ocr's rendered lines), plus BLEU when real reference translations are given.
 */
import { readFileSync } from 'node:fs';
import type { StudyTrials } from '../domain/records.ts';
import { bestTrial } from '../domain/trials.ts';
import { paretoListings, type ParetoListing } from '../dse/pareto.ts';
import { bleuDetokenizer, bleuOf, parseReferencePairs, type BleuResult, type ReferencePair } from '../dse/variants/bleu.ts';
import { defaultFidelityInstances, fidelityInstances, VariantOutputs } from '../dse/variants/fidelity.ts';
import { variantPlan, type Variant } from '../dse/variants/plan.ts';
import { directoryBytes, variantRows, type VariantMeasurement, type VariantRow } from '../dse/variants/table.ts';
import type { ModelManifest } from '../models/manifest.ts';
import type { SamplerName } from '../samplers/factory.ts';
import type { GraphOptimizationLevel, Precision } from '../server/protocol.ts';
import { ensureStudy, loadedStudies, newStudyArgs, type CampaignStudyOptions } from './campaign.ts';
import { TuneError, usageError } from './errors.ts';
import { directoryFor, modelSource, prepareModel, workloadModel, type ModelSource } from './model.ts';
import type { RunHooks } from './run-study.ts';
import { openStorage, withStorage } from './storage.ts';

export interface VariantsCampaign extends CampaignStudyOptions {
  concurrency: number;
  strategy: SamplerName;
  seed: number;
  precisions: readonly Precision[];
  /** Empty: the level stays a tuned parameter. */
  graphLevels: readonly GraphOptimizationLevel[];
  /** Default: defaultFidelityInstances (more for text lines, scored against ground truth). */
  fidelityInstances?: number;
  /** A tab-separated "source<TAB>reference" file, for BLEU. */
  references?: string;
}

export interface VariantsOutcome {
  variants: VariantRow[];
  bleu: ({ variant: string } & BleuResult)[];
  pareto: ParetoListing[];
}

export async function variantStudies(request: VariantsCampaign, hooks: RunHooks): Promise<VariantsOutcome> {
  const source = modelSource(request.model);
  const pairs = request.references === undefined ? undefined : readPairs(request.references);
  return withStorage(openStorage(request.db), async (storage) => {
    const plan = variantPlan(request);
    for (const variant of plan) {
      // The precision is pinned like `tune --precision`; the graph level, when given, is pinned on top.
      const { precision, ...others } = variant.pins;
      const args = { ...newStudyArgs(request), concurrency: request.concurrency, strategy: request.strategy, seed: request.seed, precision: precision as Precision, name: variant.studyId };
      await ensureStudy(args, others, storage, { db: request.db, run: request.run, hooks });
    }
    const studies = loadedStudies(storage, plan.map((v) => v.studyId));
    hooks.note(`checking output fidelity against fp32 in-process (${pairs?.length ?? fidelityCount(request)} instances)`);
    const measured = await measureVariants(plan, studies, source, request, pairs);
    return {
      variants: variantRows(measured.map((m) => m.measurement)),
      bleu: measured.flatMap((m) => (m.bleu ? [{ variant: m.measurement.variant.label, ...m.bleu }] : [])),
      pareto: paretoListings(studies),
    };
  });
}

interface Measured {
  measurement: VariantMeasurement;
  bleu?: BleuResult;
}

async function measureVariants(plan: readonly Variant[], studies: readonly StudyTrials[], source: ModelSource, request: VariantsCampaign, pairs?: ReferencePair[]): Promise<Measured[]> {
  // fp32 is always prepared: it is the reference every variant is compared with.
  const { dirs, manifest } = await prepareModel(source, [...new Set<Precision>(['fp32', ...request.precisions])], studies[0]?.study);
  const dirFor = (precision: string) => directoryFor(dirs, precision as Precision);
  const workload = pairs ? { instances: pairs.map((p) => ({ text: p.source })) } : workloadInstances(source, manifest, request);
  const outputs = new VariantOutputs(dirFor, workload.instances, workload.references);
  const measured: Measured[] = [];
  for (const [i, variant] of plan.entries()) {
    const entry = studies[i]!;
    const precision = String(variant.pins.precision);
    const level = graphLevelOf(variant, entry);
    const measurement: VariantMeasurement = { variant, entry, sizeBytes: directoryBytes(dirFor(precision)), syntheticWeights: manifest.synthetic };
    const check = await outputs.fidelity(precision, level);
    Object.assign(measurement, check.ok ? { fidelity: check.fidelity } : { fidelityNote: check.note });
    const scored = await outputs.accuracy(precision, level);
    if (scored) Object.assign(measurement, scored.ok ? { accuracy: scored.accuracy } : { accuracyNote: scored.note });
    measured.push({ measurement, ...(pairs && { bleu: await variantBleu(dirFor(precision), outputs, precision, level, pairs) }) });
  }
  return measured;
}

/** The pinned level, else the one the variant's best configuration used, else ONNX Runtime's default. */
function graphLevelOf(variant: Variant, entry: StudyTrials): GraphOptimizationLevel {
  const level = variant.pins.graph_optimization_level ?? bestTrial(entry.trials, entry.study.objective)?.params.graph_optimization_level ?? 'all';
  return String(level) as GraphOptimizationLevel;
}

function workloadInstances(source: ModelSource, manifest: ModelManifest, request: VariantsCampaign): { instances: unknown[]; references?: string[] } {
  const made = fidelityInstances(workloadModel(source, manifest), fidelityCount(request), request.seed);
  if (!made.ok) throw new TuneError(made.error.code, made.error.message);
  return made;
}

function fidelityCount(request: VariantsCampaign): number {
  return request.fidelityInstances ?? defaultFidelityInstances(request.model);
}

async function variantBleu(dir: string, outputs: VariantOutputs, precision: string, level: GraphOptimizationLevel, pairs: readonly ReferencePair[]): Promise<BleuResult> {
  const detokenizer = await bleuDetokenizer(dir);
  if (!detokenizer.ok) return detokenizer;
  const translated = await outputs.outputs(precision, level);
  return typeof translated === 'string' ? { ok: false, note: translated } : bleuOf(translated, pairs, detokenizer.detokenize);
}

function readPairs(path: string): ReferencePair[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read --references ${path}: ${(error as Error).message}`);
  }
  const parsed = parseReferencePairs(text, path);
  if (!parsed.ok) throw usageError(parsed.error.message);
  return parsed.pairs;
}
