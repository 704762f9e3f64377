/**
 * `tune variants`: one study per model variant (precision × graph-optimization level, both pinned), then a
 * table of each variant at its best configuration: size on disk, latency, throughput, cost, and fidelity of
 * its outputs against fp32 on the workload (computed in-process), plus BLEU when real references are given.
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { fidelityInstances } from '../../dse/fidelity-instances.ts';
import { directoryBytes } from '../../dse/model-size.ts';
import { paretoListings } from '../../dse/pareto-listing.ts';
import { paretoTableLines } from '../../dse/pareto-table.ts';
import { parseReferencePairs, type ReferencePair } from '../../dse/reference-pairs.ts';
import { bleuDetokenizer, bleuOf, VariantOutputs, type BleuResult } from '../../dse/variant-fidelity.ts';
import { variantPlan, type Variant } from '../../dse/variant-plan.ts';
import { variantRows, variantTableLines, type VariantMeasurement } from '../../dse/variant-table.ts';
import { bestTrial, type StudyTrials } from '../../report/study-trials.ts';
import type { ModelManifest, Precision } from '../../models/manifest.ts';
import type { GraphOptimizationLevel } from '../../server/config.ts';
import { CliError, usageError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { listOfChoices, oneOf, wholeNumber } from '../option-parsers.ts';
import { directoryFor, modelSource, prepareModel, type ModelSource } from '../model-source.ts';
import { openStorage, withStorage } from '../storage-access.ts';
import { PRECISIONS, STRATEGIES, type TuneArgs } from '../study-setup.ts';
import { ensureStudy, loadedStudies } from '../study-runs.ts';
import { newStudyArgs, studyOptions, type StudyOptions } from './sweep.ts';

const GRAPH_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const satisfies readonly GraphOptimizationLevel[];

interface VariantsArgs extends StudyOptions {
  concurrency: number;
  strategy: NonNullable<TuneArgs['strategy']>;
  precisions: Precision[];
  graphLevels: GraphOptimizationLevel[];
  fidelityInstances: number;
  references?: string;
}

export function variantsCommand(io: CliIo): CommandModule<object, VariantsArgs> {
  return {
    command: 'variants',
    describe: 'Tune each model variant (precision, graph optimization) and compare them at their best',
    builder: (yargs: Argv) =>
      studyOptions(yargs)
        .options({
          concurrency: { type: 'string', demandOption: true, requiresArg: true, coerce: wholeNumber('concurrency', 1, 4096), describe: 'Client concurrency' },
          strategy: { type: 'string', default: 'bo', requiresArg: true, coerce: oneOf('strategy', STRATEGIES), describe: STRATEGIES.join(' | ') },
          precisions: { type: 'string', default: 'fp32,int8', requiresArg: true, coerce: listOfChoices('precisions', PRECISIONS), describe: 'Comma-separated precisions' },
          'graph-levels': { type: 'string', requiresArg: true, coerce: listOfChoices('graph-levels', GRAPH_LEVELS), describe: 'Comma-separated levels to pin, e.g. disabled,all (default: the level stays tuned)' },
          'fidelity-instances': { type: 'string', default: '32', requiresArg: true, coerce: wholeNumber('fidelity-instances', 1, 10_000), describe: 'Workload instances compared against fp32' },
          references: { type: 'string', requiresArg: true, describe: 'Tab-separated "source<TAB>reference" lines: BLEU for a real translator export with a SentencePiece vocab.json' },
        })
        .example('$0 variants --model bert --concurrency 8 --budget 15', 'fp32 against int8, each tuned')
        .example('$0 variants --model resnet --concurrency 8 --budget 10 --graph-levels disabled,all', 'four variants') as unknown as Argv<VariantsArgs>,
    handler: (args) => variants({ ...args, graphLevels: args.graphLevels ?? [] }, io),
  };
}

async function variants(args: VariantsArgs, io: CliIo): Promise<void> {
  const source = modelSource(args.model);
  const pairs = args.references === undefined ? undefined : readPairs(args.references);
  await withStorage(openStorage(args.db), async (storage) => {
    const plan = variantPlan({ ...args, precisions: args.precisions, graphLevels: args.graphLevels });
    for (const variant of plan) {
      // `tune` pins the precision itself; the graph level, when given, is pinned on top.
      const { precision, ...others } = variant.pins;
      const tuneArgs = { ...newStudyArgs(args), concurrency: args.concurrency, strategy: args.strategy, precision: precision as Precision, name: variant.studyId };
      await ensureStudy(tuneArgs, others, storage, args.run, io);
    }
    const studies = loadedStudies(storage, plan.map((v) => v.studyId));
    io.err(`checking output fidelity against fp32 in-process (${pairs?.length ?? args.fidelityInstances} instances)`);
    const measurements = await measureVariants(plan, studies, source, args, pairs);
    const rows = variantRows(measurements.map((m) => m.measurement));
    const pareto = paretoListings(studies);
    if (args.json) {
      io.out(JSON.stringify({ variants: rows, bleu: measurements.map((m) => ({ variant: m.measurement.variant.label, ...m.bleu })), pareto }, null, 2));
      return;
    }
    const bleuLines = measurements.flatMap(bleuLine);
    io.out([...variantTableLines(rows), ...(bleuLines.length > 0 ? ['', ...bleuLines] : []), '', ...paretoTableLines(pareto)].join('\n'));
  });
}

interface Measured {
  measurement: VariantMeasurement;
  bleu?: BleuResult;
}

function bleuLine({ measurement, bleu }: Measured): string[] {
  if (bleu === undefined) return [];
  return [`BLEU ${measurement.variant.label}: ${bleu.ok ? `${(bleu.bleu * 100).toFixed(1)} on ${bleu.sentences} sentences` : bleu.note}`];
}

async function measureVariants(plan: readonly Variant[], studies: readonly StudyTrials[], source: ModelSource, args: VariantsArgs, pairs?: ReferencePair[]): Promise<Measured[]> {
  // fp32 is always prepared: it is the reference every variant is compared with.
  const { dirs, manifest } = await prepareModel(source, [...new Set<Precision>(['fp32', ...args.precisions])]);
  const dirFor = (precision: string) => directoryFor(dirs, precision as Precision);
  const outputs = new VariantOutputs(dirFor, pairs ? pairs.map((p) => ({ text: p.source })) : workloadInstances(source, manifest, args));
  const measured: Measured[] = [];
  for (const [i, variant] of plan.entries()) {
    const entry = studies[i]!;
    const precision = String(variant.pins.precision);
    const level = graphLevelOf(variant, entry);
    const measurement: VariantMeasurement = { variant, entry, sizeBytes: directoryBytes(dirFor(precision)) };
    const check = await outputs.fidelity(precision, level);
    Object.assign(measurement, check.ok ? { fidelity: check.fidelity } : { fidelityNote: check.note });
    measured.push({ measurement, ...(pairs && { bleu: await variantBleu(dirFor(precision), outputs, precision, level, pairs) }) });
  }
  return measured;
}

/** The pinned level, else the one the variant's best configuration used, else ONNX Runtime's default. */
function graphLevelOf(variant: Variant, entry: StudyTrials): GraphOptimizationLevel {
  const level = variant.pins.graph_optimization_level ?? bestTrial(entry)?.params.graph_optimization_level ?? 'all';
  return String(level) as GraphOptimizationLevel;
}

function workloadInstances(source: ModelSource, manifest: ModelManifest, args: VariantsArgs): unknown[] {
  const model = source.kind === 'builtin' ? source.name : { kind: manifest.kind, ...(manifest.kind === 'classifier-image' && { instanceShape: manifest.instanceShape }) };
  const made = fidelityInstances(model, args.fidelityInstances, args.seed);
  if (!made.ok) throw new CliError(made.error.code, made.error.message);
  return made.instances;
}

async function variantBleu(dir: string, outputs: VariantOutputs, precision: string, level: GraphOptimizationLevel, pairs: readonly ReferencePair[]): Promise<BleuResult> {
  const detokenizer = bleuDetokenizer(dir);
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
