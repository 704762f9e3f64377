/**
 * `tune sweep`: one study per client-concurrency level and strategy (run, resumed or reused by name), then
 * the table per level (best mean latency per strategy, BO's gain over random, the best configuration), the
 * Pareto-optimal configurations per level, and plots: latency per level, gain per level, RTT distributions.
 */
import type { Argv, CommandModule } from 'yargs';
import { paretoListings } from '../../dse/pareto-listing.ts';
import { paretoTableLines } from '../../dse/pareto-table.ts';
import { writeNamedPlots } from '../../dse/plot-files.ts';
import { measuredConfigs, sloSaving } from '../../dse/slo.ts';
import { sloLines } from '../../dse/slo-lines.ts';
import { sweepPlan } from '../../dse/sweep-plan.ts';
import { sweepPlots } from '../../dse/sweep-plots.ts';
import { sweepResults } from '../../dse/sweep-results.ts';
import { sweepTableLines } from '../../dse/sweep-table.ts';
import type { Objective, Storage } from '../../storage/storage.ts';
import { modelSlug } from '../../study/study-name.ts';
import type { CliIo } from '../io.ts';
import { latencyMs, listOfChoices, listOfWholeNumbers, oneOf, seconds, wholeNumber } from '../option-parsers.ts';
import { openStorage, withStorage } from '../storage-access.ts';
import { PRECISIONS, STRATEGIES, type Strategy, type TuneArgs } from '../study-setup.ts';
import { ensureStudy, loadedStudies } from '../study-runs.ts';
import { dbOption, jsonOption } from './shared-options.ts';

const OBJECTIVES = ['mean', 'p99', 'cost'] as const;

/** The options every design-space command shares with `tune` for the studies it creates. */
export interface StudyOptions {
  model: string;
  budget: number;
  seed: number;
  db: string;
  space?: string;
  duration?: number;
  warmup?: number;
  objective: Objective;
  sloP99?: number;
  run: boolean;
  json: boolean;
}

interface SweepArgs extends StudyOptions {
  concurrency: number[];
  strategies: Strategy[];
  precision?: TuneArgs['precision'];
  out: string;
}

export function studyOptions<T>(yargs: Argv<T>) {
  return yargs.options({
    model: { type: 'string', demandOption: true, requiresArg: true, describe: 'Built-in model (marian, resnet, bert, gan) or a model directory' },
    budget: { type: 'string', demandOption: true, requiresArg: true, coerce: wholeNumber('budget', 1, 10_000), describe: 'Trials per study, the baseline included' },
    seed: { type: 'string', default: '1', requiresArg: true, coerce: wholeNumber('seed', 0), describe: 'Seed of every study' },
    db: dbOption,
    space: { type: 'string', requiresArg: true, describe: 'Search-space JSON file for new studies' },
    duration: { type: 'string', requiresArg: true, coerce: seconds('duration', 1), describe: 'Measurement window per trial, seconds' },
    warmup: { type: 'string', requiresArg: true, coerce: seconds('warmup', 0), describe: 'Warm-up per trial, seconds' },
    objective: { type: 'string', default: 'mean', requiresArg: true, coerce: oneOf('objective', OBJECTIVES), describe: 'mean | p99 | cost' },
    'slo-p99': { type: 'string', requiresArg: true, coerce: latencyMs('slo-p99'), describe: 'Latency SLO, e.g. 200ms: trials whose p99 misses it fail as slo_violated' },
    run: { type: 'boolean', default: true, describe: 'Run missing or unfinished studies (--no-run: report stored ones only)' },
    json: jsonOption,
  });
}

export function sweepCommand(io: CliIo): CommandModule<object, SweepArgs> {
  return {
    command: 'sweep',
    describe: 'Tune a model at several client-concurrency levels (and strategies), then compare the levels',
    builder: (yargs: Argv) =>
      studyOptions(yargs)
        .options({
          concurrency: { type: 'string', demandOption: true, requiresArg: true, coerce: listOfWholeNumbers('concurrency', 1), describe: 'Comma-separated levels, e.g. 1,5,10,20,40,60' },
          strategies: { type: 'string', default: 'bo,random', requiresArg: true, coerce: listOfChoices('strategies', STRATEGIES), describe: `Comma-separated: ${STRATEGIES.join(' | ')}` },
          precision: { type: 'string', requiresArg: true, coerce: oneOf('precision', PRECISIONS), describe: 'Pin the precision of new studies' },
          out: { type: 'string', requiresArg: true, describe: 'Directory for the plots (default reports/sweep-<model>)' },
        })
        .example('$0 sweep --model marian --concurrency 1,5,10,20,40,60 --budget 20', 'BO and random at six levels')
        .example('$0 sweep --model bert --concurrency 8 --budget 15 --objective cost --slo-p99 200ms --strategies bo', 'cheapest configuration meeting an SLO') as unknown as Argv<SweepArgs>,
    handler: (args) => sweep(args, io),
  };
}

async function sweep(args: SweepArgs, io: CliIo): Promise<void> {
  await withStorage(openStorage(args.db), async (storage) => {
    const plan = sweepPlan({ model: args.model, levels: args.concurrency, strategies: args.strategies, seed: args.seed, budget: args.budget, objective: args.objective });
    for (const planned of plan) {
      const tuneArgs = { ...newStudyArgs(args), concurrency: planned.concurrency, strategy: planned.strategy as Strategy, precision: args.precision, name: planned.studyId };
      await ensureStudy(tuneArgs, {}, storage, args.run, io);
    }
    const studies = loadedStudies(storage, plan.map((p) => p.studyId));
    const results = sweepResults(studies);
    const plots = sweepPlots(args.model, studies, results, (id, n) => storage.histogram(id, n));
    const files = await writeNamedPlots(plots, args.out ?? `reports/sweep-${modelSlug(args.model)}`);
    const pareto = paretoListings(studies);
    const slo = args.sloP99 === undefined ? [] : sloSections(storage, args.model, args.concurrency, args.sloP99);
    if (args.json) {
      io.out(JSON.stringify({ studies: plan, levels: results, pareto, slo, files }, null, 2));
      return;
    }
    const sloText = slo.flatMap((s) => [`SLO at concurrency ${s.concurrency}:`, ...(s.saving ? sloLines(s.saving) : ['no measured configuration']), '']);
    io.out([...sweepTableLines(results), '', ...paretoTableLines(pareto), ...sloText].join('\n'));
    io.err(`plots written: ${files.filter((f) => f.endsWith('.svg')).join(', ')}`);
  });
}

/** Cheapest feasible against fastest, over every stored study of the model at each level (any objective). */
function sloSections(storage: Storage, model: string, levels: readonly number[], sloP99Ms: number) {
  return [...new Set(levels)].sort((a, b) => a - b).map((concurrency) => {
    const ids = storage.listStudies().filter((s) => s.model === model && s.concurrency === concurrency).map((s) => s.id);
    return { concurrency, saving: sloSaving(measuredConfigs(loadedStudies(storage, ids)), sloP99Ms) };
  });
}

export function newStudyArgs(args: StudyOptions): TuneArgs {
  const { model, budget, seed, db, space, duration, warmup, objective, sloP99 } = args;
  return { model, budget, seed, db, space, duration, warmup, objective, sloP99 };
}
