/** The default command: run (or resume, or just plan) a study. */
import type { Argv, CommandModule } from 'yargs';
import { TuneError } from '../../app/errors.ts';
import { TUNE_DEFAULTS, type TuneArgs } from '../../app/study-setup.ts';
import { planTune, tune } from '../../app/tune.ts';
import { CONFIRMATION } from '../../domain/confirmation.ts';
import { BACKENDS } from '../../domain/records.ts';
import { MAX_OBJECTIVES, OBJECTIVES } from '../../domain/vocabulary.ts';
import { PRECISIONS } from '../../server/protocol.ts';
import type { CliIo } from '../io.ts';
import { commaList, latencyMs, objectiveList, onOff, oneOf, seconds, wholeNumber } from '../option-parsers.ts';
import { formatPlan } from '../plan-text.ts';
import { withProgress } from '../progress.ts';
import { formatSummary } from '../summary-text.ts';
import { apiOption, dbOption, inputShapeOption, jsonOption, strategyOption, workloadOption } from './shared-options.ts';

interface TuneCommandArgs extends TuneArgs {
  json: boolean;
  dryRun: boolean;
}

export function tuneOptions<T>(yargs: Argv<T>) {
  return yargs.options({
    model: { type: 'string', requiresArg: true, describe: 'Built-in model (marian, resnet, bert, gan, ocr) or a model directory with manifest.json' },
    concurrency: { type: 'string', requiresArg: true, coerce: wholeNumber('concurrency', 1, 4096), describe: 'Requests kept outstanding by the closed-loop client' },
    budget: { type: 'string', requiresArg: true, coerce: wholeNumber('budget', 1, 10_000), describe: 'Trials in total, the baseline included' },
    strategy: { ...strategyOption, describe: `${strategyOption.describe} (default ${TUNE_DEFAULTS.strategy})` },
    seed: { type: 'string', requiresArg: true, coerce: wholeNumber('seed', 0), describe: `Seed of the optimizer and the request bodies (default ${TUNE_DEFAULTS.seed})` },
    space: { type: 'string', requiresArg: true, describe: 'Search-space JSON file (default: search-spaces/<model>.json)' },
    db: dbOption,
    duration: { type: 'string', requiresArg: true, coerce: seconds('duration', 1), describe: `Measurement window per trial, seconds (default ${TUNE_DEFAULTS.duration})` },
    warmup: { type: 'string', requiresArg: true, coerce: seconds('warmup', 0), describe: `Warm-up per trial, not measured, seconds (default ${TUNE_DEFAULTS.warmup})` },
    name: { type: 'string', requiresArg: true, describe: 'Study name (default: derived from model, strategy, concurrency, budget and seed)' },
    objective: {
      type: 'string',
      requiresArg: true,
      coerce: objectiveList('objective'),
      describe: `What to minimize: ${OBJECTIVES.join(' | ')} (mean or p99 latency, USD per million requests, joules per request), or up to ${MAX_OBJECTIVES} of them at once for their Pareto front, e.g. mean,cost (default mean)`,
    },
    'slo-p99': { type: 'string', requiresArg: true, coerce: latencyMs('slo-p99'), describe: 'Latency SLO, e.g. 200ms: trials whose p99 misses it fail as slo_violated' },
    precision: { type: 'string', requiresArg: true, coerce: oneOf('precision', PRECISIONS), describe: `Pin the model precision: ${PRECISIONS.join(' | ')} (default: let the space decide)` },
    backend: { type: 'string', requiresArg: true, coerce: oneOf('backend', BACKENDS), describe: 'Where trials run: docker (this engine) or swarm (the swarm this engine manages) (default docker)' },
    parallel: { type: 'string', requiresArg: true, coerce: wholeNumber('parallel', 1, 64), describe: 'Trials in flight at once, each on CPUs (docker) or nodes (swarm) of its own (default 1)' },
    nodes: { type: 'string', requiresArg: true, coerce: commaList('nodes'), describe: 'Swarm nodes to use: hostnames, IDs or label=value, comma-separated (default: every ready node)' },
    registry: { type: 'string', requiresArg: true, describe: 'Swarm: HOST:PORT of the registry the nodes pull the server image from (pushed there first)' },
    bind: { type: 'string', requiresArg: true, describe: "Swarm: the subnet of the nodes' addresses, e.g. 10.77.0.0/24; each replica binds its node's address in it (default 127.0.0.1 on one node)" },
    'early-stop': { type: 'string', requiresArg: true, coerce: onOff('early-stop'), describe: 'on | off: end a measurement once it is confidently worse than the best so far (mean objective only; default on)' },
    reconfigure: { type: 'string', requiresArg: true, coerce: onOff('reconfigure'), describe: 'on | off: keep replicas between trials and change them in place where the configurations allow (default on)' },
    'cost-aware': { type: 'boolean', describe: "Weigh each candidate's expected improvement against its predicted switching and measuring seconds (bo only; default off)" },
    confirm: {
      type: 'string',
      requiresArg: true,
      coerce: wholeNumber('confirm', 0, 10),
      describe: `After the budget, measure this many of the best configurations again in interleaved rounds until the winner is separated from the rest (0 skips; default ${CONFIRMATION.defaultContenders} from a budget of ${CONFIRMATION.defaultFromBudget}, else 0)`,
    },
    api: apiOption,
    workload: workloadOption,
    'input-shape': inputShapeOption,
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
        .example('$0 --model gan --concurrency 4 --budget 30 --objective mean,cost', 'the latency–cost Pareto front, its hypervolume and knee')
        .example('$0 --model resnet --concurrency 8 --budget 30 --dry-run', 'print the plan and the space; run nothing')
        .example('$0 --model gan --concurrency 4 --budget 12 --backend swarm --parallel 2', 'two trials at a time on a swarm, each on its own node')
        .example('$0 --model mymodels/ocr_cls.onnx --input-shape x=3x48x192 --concurrency 4 --budget 10', "any ONNX graph, its dynamic dims fixed")
        .example('$0 --model mymodels/ocr_rec.onnx --workload traffic.jsonl --concurrency 4 --budget 10', 'replay recorded requests')
        .example('$0 --resume marian-bo-c8-b20-s1', 'continue an interrupted study') as unknown as Argv<TuneCommandArgs>,
    handler: async (args) => {
      if (args.dryRun) {
        const plan = await planTune(args);
        return io.out(args.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
      }
      const outcome = await withProgress(io, (hooks) => tune(args, hooks));
      const { status, summary, trials, resume } = outcome;
      io.out(args.json ? JSON.stringify({ status, ...summary, trials, ...(resume && { resume }) }, null, 2) : formatSummary(summary));
      if (status === 'interrupted') throw new TuneError('interrupted', `interrupted: resume with: ${resume}`);
      if (status === 'stopped') throw new TuneError('study_stopped', `study stopped: ${outcome.reason}; resume with: ${resume}`);
    },
  };
}
