/** The default command: run (or resume, or just plan) a study. */
import { existsSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import type { Storage } from '../../storage/storage.ts';
import type { StudyRun } from '../../study/tuning-loop.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { latencyMs, oneOf, seconds, wholeNumber } from '../option-parsers.ts';
import { formatPlan, studyPlan } from '../plan.ts';
import { openExistingStorage, openStorage, withStorage } from '../storage-access.ts';
import { runWithProgress } from '../study-execution.ts';
import { PRECISIONS, prepareStudy, STRATEGIES, TUNE_DEFAULTS, type StudySetup, type TuneArgs } from '../study-setup.ts';
import { formatSummary, summarizeStudy } from '../summary.ts';
import { gridSizeOf, posteriorBest } from '../optimizer-facts.ts';
import { dbOption, jsonOption } from './shared-options.ts';

const OBJECTIVES = ['mean', 'p99', 'cost'] as const;

interface TuneCommandArgs extends TuneArgs {
  json: boolean;
  dryRun: boolean;
}

export function tuneOptions<T>(yargs: Argv<T>) {
  return yargs.options({
    model: { type: 'string', requiresArg: true, describe: 'Built-in model (marian, resnet, bert, gan) or a model directory with manifest.json' },
    concurrency: { type: 'string', requiresArg: true, coerce: wholeNumber('concurrency', 1, 4096), describe: 'Requests kept outstanding by the closed-loop client' },
    budget: { type: 'string', requiresArg: true, coerce: wholeNumber('budget', 1, 10_000), describe: 'Trials in total, the baseline included' },
    strategy: { type: 'string', requiresArg: true, coerce: oneOf('strategy', STRATEGIES), describe: `Optimizer: ${STRATEGIES.join(' | ')} (default ${TUNE_DEFAULTS.strategy})` },
    seed: { type: 'string', requiresArg: true, coerce: wholeNumber('seed', 0), describe: `Seed of the optimizer and the request bodies (default ${TUNE_DEFAULTS.seed})` },
    space: { type: 'string', requiresArg: true, describe: 'Search-space JSON file (default: search-spaces/<model>.json)' },
    db: dbOption,
    duration: { type: 'string', requiresArg: true, coerce: seconds('duration', 1), describe: `Measurement window per trial, seconds (default ${TUNE_DEFAULTS.duration})` },
    warmup: { type: 'string', requiresArg: true, coerce: seconds('warmup', 0), describe: `Warm-up per trial, not measured, seconds (default ${TUNE_DEFAULTS.warmup})` },
    name: { type: 'string', requiresArg: true, describe: 'Study name (default: derived from model, strategy, concurrency, budget and seed)' },
    objective: { type: 'string', requiresArg: true, coerce: oneOf('objective', OBJECTIVES), describe: 'What to minimize: mean | p99 latency, or cost (USD per million requests) (default mean)' },
    'slo-p99': { type: 'string', requiresArg: true, coerce: latencyMs('slo-p99'), describe: 'Latency SLO, e.g. 200ms: trials whose p99 misses it fail as slo_violated' },
    precision: { type: 'string', requiresArg: true, coerce: oneOf('precision', PRECISIONS), describe: 'Pin the model precision: fp32 | int8 (default: let the space decide)' },
    json: jsonOption,
    resume: { type: 'string', requiresArg: true, describe: 'Continue a stopped or interrupted study by name' },
    'dry-run': { type: 'boolean', default: false, describe: 'Validate everything and print the plan; run nothing' },
  });
}

export function tuneCommand(io: CliIo): CommandModule<object, TuneCommandArgs> {
  return {
    command: '$0',
    describe: 'Tune how a model is served: deploy configurations, measure them, optimize',
    builder: (yargs) =>
      tuneOptions(yargs)
        .example('$0 --model marian --concurrency 8 --budget 20', 'Bayesian optimization of the translator, 20 trials')
        .example('$0 --model gan --concurrency 4 --budget 10 --strategy random --seed 2', 'random search baseline')
        .example('$0 --model bert --concurrency 16 --budget 15 --objective cost --slo-p99 250ms', 'cheapest configuration meeting an SLO')
        .example('$0 --model resnet --concurrency 8 --budget 30 --dry-run', 'print the plan and the space; run nothing')
        .example('$0 --resume marian-bo-c8-b20-s1', 'continue an interrupted study') as unknown as Argv<TuneCommandArgs>,
    handler: (args) => tune(args, io),
  };
}

async function tune(args: TuneCommandArgs, io: CliIo): Promise<void> {
  if (args.dryRun) return dryRun(args, io);
  // Resuming needs the study's database; a new study creates it.
  const storage = args.resume === undefined ? openStorage(args.db) : openExistingStorage(args.db);
  await withStorage(storage, async (storage) => {
    const setup = await prepareStudy(args, storage);
    const run = await runWithProgress(setup, storage, io);
    report(setup, storage, run, args, io);
  });
}

async function dryRun(args: TuneCommandArgs, io: CliIo): Promise<void> {
  // A dry run creates nothing, not even the database file.
  const storage = existsSync(args.db) ? openStorage(args.db) : undefined;
  try {
    const setup = await prepareStudy(args, storage);
    const plan = studyPlan(setup, args.db, setup.study.strategy === 'grid' ? gridSizeOf(setup.space) : undefined);
    io.out(args.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
  } finally {
    storage?.close();
  }
}

function report(setup: StudySetup, storage: Storage, run: StudyRun, args: TuneCommandArgs, io: CliIo): void {
  const { study } = setup;
  const trials = storage.trials(study.id);
  const summary = summarizeStudy(study, trials, posteriorBest(study, trials));
  const resume = `tune --resume ${study.id} --db ${args.db}`;
  if (args.json) {
    io.out(JSON.stringify({ status: run.status, ...summary, trials, ...(run.status === 'complete' ? {} : { resume }) }, null, 2));
  } else {
    io.out(formatSummary(summary));
  }
  if (run.status === 'interrupted') throw new CliError('interrupted', `interrupted: resume with: ${resume}`);
  if (run.status === 'stopped') throw new CliError('study_stopped', `study stopped: ${run.reason}; resume with: ${resume}`);
}
