/**
 * Cost-aware GP-EI (CArBO's cost-cooled EI, src/samplers/gp-ei.ts) against plain GP-EI on simulated wall-clock
 * time, where each trial pays for moving the deployment from the configuration before it.
 *   node --import tsx bench/optimizers/cost-aware.ts [--seeds 10] [--trials 50] [--problems serving,mixed int] [--jobs 2]
 * A trial takes its deploy seconds plus MEASURE_SECONDS (warm-up and window). The move is classified by the
 * tool's own rule (src/deploy/reconfiguration.ts's moveBetween, on the DeploymentSpec params-to-spec.ts makes):
 * fresh, reconfigured in place or reloaded, plus replicas added from scratch, priced by DEPLOY_SECONDS. Nothing
 * runs before the first trial, and a failed trial (the serving problem's OOM kills) leaves nothing running, so the
 * next move is fresh. The cost-aware sampler is told what the CLI tells it: a SwitchingCostModel fitted on the
 * past trials' (mode, replicas added, deploy seconds) plus MEASURE_SECONDS, and the configuration deployed now.
 * Both samplers are given the same trial budget (--trials: the design size and, cost-aware, how fast α cools).
 * The wall-clock budget is the median over seeds of the seconds plain GP-EI's --trials trials take; every run
 * goes on until it has run its trials and reached that budget (plain runs that finished their trials sooner are
 * run again until then, same seed, same proposals). Regret: the true value of the best trial finished by a time minus the optimum (both noiseless).
 * Prints per problem and sampler the median regret at ¼, ½, ¾ and all of the wall-clock budget, the median
 * seconds until within 5% of the optimum, how many seeds got there, and how the trials were deployed.
 * --jobs N shares the runs among N worker processes (this script with --worker).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DeploymentSpec } from '../../src/deploy/backend.ts';
import { moveBetween, type Move } from '../../src/deploy/reconfiguration.ts';
import type { DeployMode } from '../../src/domain/records.ts';
import { createRng } from '../../src/random/rng.ts';
import { GpEiSampler } from '../../src/samplers/gp-ei.ts';
import type { Observation, ProposalCost } from '../../src/samplers/sampler.ts';
import { SwitchingCostModel, type CostSample } from '../../src/samplers/switching-cost.ts';
import type { Params } from '../../src/space/params.ts';
import { paramsToSpec, type SpecContext } from '../../src/study/params-to-spec.ts';
import { formatNumber, median, runAll, serveRuns } from './jobs.ts';
import { PROBLEMS, type Problem } from './problems.ts';

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    trials: { type: 'string', default: '50' },
    problems: { type: 'string', default: 'serving,mixed int' },
    jobs: { type: 'string', default: '1' },
    worker: { type: 'boolean', default: false },
  },
});
const seeds = Number(flags.seeds);
const trialBudget = Number(flags.trials);
const jobs = Number(flags.jobs);
if (![seeds, trialBudget, jobs].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--seeds, --trials and --jobs take positive integers');

/** Warm-up plus measurement window of every trial. */
const MEASURE_SECONDS = 13;
/** Simulated deploy seconds: a fresh deploy's fixed part, in-place changes, new sessions, each replica started. */
const DEPLOY_SECONDS = { fresh: 4, reconfigured: 1, reloaded: 4, perReplica: 5.5 } as const satisfies Record<DeployMode | 'perReplica', number>;
const BUDGET_FRACTIONS = [0.25, 0.5, 0.75, 1];

const SPEC_CONTEXT: SpecContext = { studyId: 'bench', modelName: 'model', modelDirFor: (precision) => `/models/${precision}`, concurrency: 16, readyTimeoutMs: 60_000 };

/** A problem with the deployment each configuration would run as, so moves between them can be classified. */
interface Deployed {
  problem: Problem;
  deployment(params: Params): DeploymentSpec;
}

/**
 * The serving problem's parameters are the tool's own knobs: replicas, cpus and memory_mb, max_batch_size and
 * batch_timeout_us (changed in place), intra_op_threads (new sessions).
 * The mixed 4-D formula problem is mapped onto one knob of each kind: x (float −5..5) is the CPU quota (0.5..2,
 * changed in place), n (int −5..5) intra-op threads (1..11, new sessions), b (pow2 1..64) the max batch size (in
 * place), c (categorical a..d) the model directory (as a precision would be: a fresh deploy); one replica.
 */
const DEPLOYED: readonly Deployed[] = [
  { problem: problemNamed('serving'), deployment: (params) => paramsToSpec(params, 0, SPEC_CONTEXT) },
  {
    problem: problemNamed('mixed int'),
    deployment: (params) => {
      const knobs = { replicas: 1, cpus: 0.5 + 0.15 * ((params['x'] as number) + 5), max_batch_size: params['b'] as number, intra_op_threads: (params['n'] as number) + 6 };
      return { ...paramsToSpec(knobs, 0, SPEC_CONTEXT), modelDir: `/models/${params['c'] as string}` };
    },
  },
];
const selected = DEPLOYED.filter(({ problem }) => flags.problems.split(',').some((word) => problem.name.includes(word)));

function problemNamed(word: string): Problem {
  const problem = PROBLEMS.find((p) => p.name.includes(word));
  if (problem === undefined) throw new Error(`no problem named like "${word}" in problems.ts`);
  return problem;
}

function simulatedDeploySeconds(move: Move): number {
  return DEPLOY_SECONDS[move.mode] + DEPLOY_SECONDS.perReplica * move.added;
}

const METHODS = ['plain EI', 'cost-aware EI'] as const;
type Method = (typeof METHODS)[number];

/** One study: a problem (index into DEPLOYED), a sampler, a seed; it stops once it has run `trials` and reached `seconds`. */
interface Run {
  problem: number;
  method: Method;
  seed: number;
  trials: number;
  seconds: number;
}

interface TrialEnd {
  /** Simulated wall clock when it finished. */
  seconds: number;
  /** Of the best trial finished so far. */
  regret: number;
  mode: DeployMode;
  deploySeconds: number;
}

function runStudy({ problem: index, method, seed, trials, seconds }: Run): TrialEnd[] {
  const { problem, deployment } = DEPLOYED[index] as Deployed;
  const sampler = new GpEiSampler({ budget: trialBudget, seed });
  const rng = createRng(seed);
  const noise = rng.fork('noise');
  const history: Observation[] = [];
  const samples: CostSample[] = [];
  const ends: TrialEnd[] = [];
  let running: { params: Params; spec: DeploymentSpec } | undefined;
  let clock = 0;
  let best = Infinity;
  while (ends.length < trials || clock < seconds) {
    const cost = method === 'cost-aware EI' ? proposalCost(SwitchingCostModel.fit(samples), running, deployment) : undefined;
    const params = sampler.suggest(problem.space, history, rng.fork(`attempt-${history.length}`), undefined, cost);
    const spec = deployment(params);
    const move = moveBetween(running?.spec, spec);
    const deploySeconds = simulatedDeploySeconds(move);
    samples.push({ mode: move.mode, added: move.added, seconds: deploySeconds });
    clock += deploySeconds + MEASURE_SECONDS;
    const measured = problem.measure(params, noise);
    history.push(typeof measured === 'number' ? { params, value: measured } : { params, failed: measured.failed });
    running = typeof measured === 'number' ? { params, spec } : undefined;
    best = Math.min(best, problem.truth(params) ?? Infinity);
    ends.push({ seconds: clock, regret: best - problem.optimum, mode: move.mode, deploySeconds });
  }
  return ends;
}

/** What the CLI tells the sampler: the fitted deploy seconds of the move from what runs now, plus the measurement. */
function proposalCost(model: SwitchingCostModel, running: { params: Params; spec: DeploymentSpec } | undefined, deployment: (params: Params) => DeploymentSpec): ProposalCost {
  return {
    seconds: (params) => model.predict(moveBetween(running?.spec, deployment(params))) + MEASURE_SECONDS,
    ...(running && { deployed: running.params }),
  };
}

/** Regret at a wall-clock time: as of the last trial finished by then (Infinity before the first). */
function regretAt(ends: readonly TrialEnd[], seconds: number): number {
  let regret = Infinity;
  for (const end of ends) {
    if (end.seconds > seconds) break;
    regret = end.regret;
  }
  return regret;
}

/** When the regret first came within 5% of |optimum| (Infinity: never). */
function secondsToTolerance(ends: readonly TrialEnd[], problem: Problem): number {
  return ends.find((end) => end.regret <= 0.05 * Math.abs(problem.optimum))?.seconds ?? Infinity;
}

async function compare(): Promise<void> {
  const script = fileURLToPath(import.meta.url);
  const indices = selected.map((entry) => DEPLOYED.indexOf(entry));
  const bySeed = (make: (problem: number, seed: number) => Run) => indices.flatMap((problem) => Array.from({ length: seeds }, (_, seed) => make(problem, seed)));
  // Plain EI's trial budget fixes the wall-clock budget; then every run goes on until it.
  const plainRuns = bySeed((problem, seed): Run => ({ problem, method: 'plain EI', seed, trials: trialBudget, seconds: 0 }));
  const plainEnds = await runAll(script, plainRuns, jobs, runStudy);
  const budgetSeconds = new Map(indices.map((problem) => [problem, median(plainEnds.filter((_, i) => plainRuns[i]!.problem === problem).map((ends) => ends.at(-1)!.seconds))]));
  const secondsOf = (problem: number) => budgetSeconds.get(problem) as number;
  const shortPlain = plainRuns.flatMap((run, i) => (plainEnds[i]!.at(-1)!.seconds < secondsOf(run.problem) ? [i] : []));
  const timedRuns: Run[] = [
    ...shortPlain.map((i) => ({ ...plainRuns[i]!, seconds: secondsOf(plainRuns[i]!.problem) })),
    ...bySeed((problem, seed): Run => ({ problem, method: 'cost-aware EI', seed, trials: trialBudget, seconds: secondsOf(problem) })),
  ];
  const timedEnds = await runAll(script, timedRuns, jobs, runStudy);
  shortPlain.forEach((i, k) => (plainEnds[i] = timedEnds[k] as TrialEnd[]));
  const runs = [...plainRuns, ...timedRuns.slice(shortPlain.length)];
  const ends = [...plainEnds, ...timedEnds.slice(shortPlain.length)];

  const header = `| problem | wall-clock budget | sampler | ${BUDGET_FRACTIONS.map((f) => `regret@${f * 100}% time`).join(' | ')} | seconds to 5% | within 5% | trials done | fresh / reconf. / reloaded | deploy s per trial | regret@${trialBudget} trials |`;
  console.log(`${header}\n${header.replace(/[^|]+/g, '---')}`);
  for (const problem of indices) {
    const { problem: p } = DEPLOYED[problem] as Deployed;
    const total = secondsOf(problem);
    for (const method of METHODS) {
      const whole = ends.filter((_, i) => runs[i]!.problem === problem && runs[i]!.method === method);
      const group = whole.map((e) => e.filter((end) => end.seconds <= total));
      const regrets = BUDGET_FRACTIONS.map((f) => formatNumber(median(group.map((e) => regretAt(e, f * total)))));
      const reach = group.map((e) => secondsToTolerance(e, p));
      const reachCell = Number.isFinite(median(reach)) ? `${median(reach).toFixed(0)} s` : `>${total.toFixed(0)} s`;
      const all = group.flat();
      const modes = (['fresh', 'reconfigured', 'reloaded'] as const).map((mode) => `${Math.round((100 * all.filter((end) => end.mode === mode).length) / all.length)}%`).join(' / ');
      const deployMean = all.reduce((s, end) => s + end.deploySeconds, 0) / all.length;
      const atTrials = formatNumber(median(whole.map((e) => e[trialBudget - 1]?.regret ?? Infinity)));
      console.log(
        `| ${p.name} | ${total.toFixed(0)} s | ${method} | ${regrets.join(' | ')} | ${reachCell} | ${reach.filter(Number.isFinite).length} of ${seeds} | ${median(group.map((e) => e.length))} | ${modes} | ${deployMean.toFixed(1)} | ${atTrials} |`,
      );
    }
  }
}

if (flags.worker) {
  serveRuns(runStudy);
} else {
  const started = performance.now();
  console.log(`seeds ${seeds}, trial budget ${trialBudget}, ${MEASURE_SECONDS} s measurement per trial; wall-clock budget: plain EI's median seconds for ${trialBudget} trials; regret = median over seeds; — = no successful trial yet\n`);
  await compare();
  console.error(`  (total ${((performance.now() - started) / 1000).toFixed(0)} s wall, --jobs ${jobs})`);
}
