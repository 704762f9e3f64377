/**
 * `tune compare random bo`: runs (or reuses) one study per strategy and seed, all with the same model,
 * concurrency and budget, then prints how the strategies compare and writes the convergence plot.
 * Study names are derived from those settings, so a second run reuses what the first one measured.
 */
import type { Argv, CommandModule } from 'yargs';
import { createRng } from '../../random/rng.ts';
import { compareStrategies } from '../../report/compare.ts';
import { comparisonLines } from '../../report/compare-table.ts';
import { writePlots } from '../../report/files.ts';
import type { Objective, Storage } from '../../storage/storage.ts';
import { studyName } from '../../study/study-name.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { latencyMs, listOfWholeNumbers, oneOf, seconds, wholeNumber } from '../option-parsers.ts';
import { openStorage, withStorage } from '../storage-access.ts';
import { ensureStudy, loadedStudies } from '../study-runs.ts';
import { PRECISIONS, STRATEGIES, type Strategy, type TuneArgs } from '../study-setup.ts';
import { dbOption, jsonOption } from './shared-options.ts';

interface CompareArgs {
  strategies: Strategy[];
  model: string;
  concurrency: number;
  budget: number;
  seeds: number[];
  run: boolean;
  db: string;
  space?: string;
  duration?: number;
  warmup?: number;
  objective: Objective;
  sloP99?: number;
  precision?: TuneArgs['precision'];
  out: string;
  json: boolean;
}

export function compareCommand(io: CliIo): CommandModule<object, CompareArgs> {
  return {
    command: 'compare <strategies..>',
    describe: 'Compare strategies (e.g. random bo) over seeds on the same model, concurrency and budget',
    builder: (yargs: Argv) =>
      yargs
        .positional('strategies', { type: 'string', array: true, coerce: (raw: unknown) => [raw].flat().map(oneOf('strategy', STRATEGIES)), describe: STRATEGIES.join(' | ') })
        .options({
          model: { type: 'string', demandOption: true, requiresArg: true, describe: 'Built-in model or model directory' },
          concurrency: { type: 'string', demandOption: true, requiresArg: true, coerce: wholeNumber('concurrency', 1, 4096), describe: 'Client concurrency' },
          budget: { type: 'string', demandOption: true, requiresArg: true, coerce: wholeNumber('budget', 1, 10_000), describe: 'Trials per study, the baseline included' },
          seeds: { type: 'string', default: '1', requiresArg: true, coerce: listOfWholeNumbers('seeds', 0), describe: 'Comma-separated seeds; one study per strategy and seed' },
          run: { type: 'boolean', default: true, describe: 'Run missing or unfinished studies (--no-run: compare stored ones only)' },
          db: dbOption,
          space: { type: 'string', requiresArg: true, describe: 'Search-space JSON file for new studies' },
          duration: { type: 'string', requiresArg: true, coerce: seconds('duration', 1), describe: 'Measurement window per trial, seconds' },
          warmup: { type: 'string', requiresArg: true, coerce: seconds('warmup', 0), describe: 'Warm-up per trial, seconds' },
          objective: { type: 'string', default: 'mean', requiresArg: true, coerce: oneOf('objective', ['mean', 'p99', 'cost'] as const), describe: 'mean | p99 | cost' },
          'slo-p99': { type: 'string', requiresArg: true, coerce: latencyMs('slo-p99'), describe: 'Latency SLO for new studies, e.g. 200ms' },
          precision: { type: 'string', requiresArg: true, coerce: oneOf('precision', PRECISIONS), describe: 'Pin the precision of new studies' },
          out: { type: 'string', default: 'reports/compare', requiresArg: true, describe: 'Directory for the convergence plot' },
          json: jsonOption,
        })
        .example('$0 compare random bo --model gan --concurrency 4 --budget 20 --seeds 1,2,3', 'six studies, then the comparison')
        .example('$0 compare random bo --model gan --concurrency 4 --budget 20 --seeds 1,2,3 --no-run', 'compare what is stored') as unknown as Argv<CompareArgs>,
    handler: (args) => compare(args, io),
  };
}

async function compare(args: CompareArgs, io: CliIo): Promise<void> {
  await withStorage(openStorage(args.db), async (storage) => {
    const ids: string[] = [];
    for (const strategy of args.strategies) {
      for (const seed of args.seeds) ids.push(await ensureStrategyStudy(args, strategy, seed, storage, io));
    }
    const comparison = compareStrategies(loadedStudies(storage, ids), { random: rngSource(args.seeds), metric: args.objective });
    const plots = await writePlots(storage, ids, args.out);
    if (!plots.ok) throw new CliError(plots.error.code, plots.error.message);
    if (args.json) io.out(JSON.stringify({ studies: ids, comparison, files: plots.files }, null, 2));
    else io.out(comparisonLines(comparison).join('\n'));
    io.err(`convergence and other plots written to ${args.out}`);
  });
}

/** The study for one strategy and seed, named from the settings so a second run reuses it. */
async function ensureStrategyStudy(args: CompareArgs, strategy: Strategy, seed: number, storage: Storage, io: CliIo): Promise<string> {
  const name = studyName({ model: args.model, strategy, concurrency: args.concurrency, budget: args.budget, seed, objective: args.objective });
  await ensureStudy({ ...newStudyArgs(args), strategy, seed, name }, {}, storage, args.run, io);
  return name;
}

function newStudyArgs(args: CompareArgs): TuneArgs {
  const { model, concurrency, budget, db, space, duration, warmup, objective, sloP99, precision } = args;
  return { model, concurrency, budget, db, space, duration, warmup, objective, sloP99, precision };
}

/** The permutation test's randomness, seeded from the seeds compared, so a comparison prints the same p-value twice. */
function rngSource(seeds: readonly number[]): () => number {
  const rng = createRng(`compare:${seeds.join(',')}`);
  return () => rng.next();
}
