/**
 * GP-EI with K trials in flight: how each way of treating the pending trials (src/samplers/pending.ts) does
 * with K = 1, 2 and 4 workers, on problems.ts's deterministic problems.
 *   node --import tsx bench/optimizers/parallel.ts [--seeds 10] [--budget 48] [--workers 1,2,4]
 *     [--strategies believer,liar-min,penalize] [--problems hartmann6,mixed,serving] [--jobs 2] [--timing-only]
 * Every trial takes the same time, so the K workers finish together: each round asks K configurations (each ask
 * sees the round's earlier ones as pending), then tells all K results. An asynchronous loop with equal durations
 * that tells every finished trial before asking again is exactly this batch schedule. K = 1 never has a
 * pending trial, so it is run once whatever the strategy.
 * Regret: the true value of the best trial measured so far minus the optimum (the problems are noiseless).
 * Prints (a) the median regret after 12, 24 and 48 completed trials per problem, K and strategy; (b) after 6
 * and 12 rounds (wall clock) per problem and K; (c) the goals' ratios; then the CPU time of one suggestion
 * at 50 completed trials with 0 and with 4 pending ones, per strategy.
 * --jobs N shares the runs among N worker processes (this script with --worker).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../../src/random/rng.ts';
import { GpEiSampler } from '../../src/samplers/gp-ei.ts';
import { PENDING_STRATEGIES, type PendingStrategy } from '../../src/samplers/pending.ts';
import { RandomSampler } from '../../src/samplers/random.ts';
import type { Observation } from '../../src/samplers/sampler.ts';
import { Study } from '../../src/study/study.ts';
import { formatNumber, median, runAll, serveRuns } from './jobs.ts';
import { PROBLEMS, type Problem } from './problems.ts';

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    budget: { type: 'string', default: '48' },
    workers: { type: 'string', default: '1,2,4' },
    strategies: { type: 'string', default: 'believer,liar-min,penalize' },
    problems: { type: 'string', default: 'hartmann6 (6-D),mixed 6-D,serving' },
    jobs: { type: 'string', default: '1' },
    'timing-only': { type: 'boolean', default: false },
    worker: { type: 'boolean', default: false },
  },
});
const seeds = Number(flags.seeds);
const budget = Number(flags.budget);
const jobs = Number(flags.jobs);
const workerCounts = flags.workers.split(',').map(Number);
const strategies = flags.strategies.split(',') as PendingStrategy[];
const problems = PROBLEMS.filter((p) => flags.problems.split(',').some((word) => p.name.includes(word)));
if (![seeds, budget, jobs, ...workerCounts].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--seeds, --budget, --workers and --jobs take positive integers');
if (!strategies.every((s) => (PENDING_STRATEGIES as readonly string[]).includes(s))) throw new Error(`--strategies: among ${PENDING_STRATEGIES.join(', ')}`);
if (problems.some((p) => p.noisy)) throw new Error('the parallel bench reads regret off the best measurement: noiseless problems only');

const TRIAL_MARKS = [12, 24, 48].filter((n) => n <= budget);
const ROUND_MARKS = [6, 12];

interface Run {
  problem: number;
  workers: number;
  strategy: PendingStrategy;
  seed: number;
}

interface RunResult {
  /** regrets[n − 1]: after n completed trials. */
  regrets: number[];
  seconds: number;
  /** CPU seconds of the run (its worker process does nothing else meanwhile). */
  cpuSeconds: number;
}

function runStudy({ problem: index, workers, strategy, seed }: Run): RunResult {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const problem = PROBLEMS[index] as Problem;
  const sampler = new GpEiSampler({ budget, seed, pending: strategy });
  const study = new Study({ space: problem.space, sampler, seed, baselineFirst: false });
  const noise = createRng(seed).fork('noise');
  const regrets: number[] = [];
  let best = Infinity;
  while (regrets.length < budget) {
    const round = Array.from({ length: Math.min(workers, budget - regrets.length) }, () => study.ask());
    for (const { number, params } of round) {
      study.tell(number, problem.measure(params, noise));
      best = Math.min(best, problem.truth(params) ?? Infinity);
      regrets.push(best - problem.optimum);
    }
  }
  const cpu = process.cpuUsage(cpuStarted);
  return { regrets, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** K = 1 has no pending trials: one run per seed, shown under every strategy. */
function variants(workers: number): PendingStrategy[] {
  return workers === 1 ? [strategies[0] as PendingStrategy] : strategies;
}

async function compare(): Promise<void> {
  const runs = problems.flatMap((problem) =>
    workerCounts.flatMap((workers) => variants(workers).flatMap((strategy) => Array.from({ length: seeds }, (_, seed) => ({ problem: PROBLEMS.indexOf(problem), workers, strategy, seed })))),
  );
  const results = await runAll(fileURLToPath(import.meta.url), runs, jobs, runStudy);
  const group = (problem: Problem, workers: number, strategy: PendingStrategy) =>
    results.filter((_, i) => {
      const run = runs[i] as Run;
      return run.problem === PROBLEMS.indexOf(problem) && run.workers === workers && run.strategy === (workers === 1 ? strategies[0] : strategy);
    });
  const medianAt = (rs: readonly RunResult[], trials: number) => median(rs.map((r) => r.regrets[Math.min(trials, budget) - 1] as number));

  const headerA = `| problem | K | pending strategy | ${TRIAL_MARKS.map((n) => `regret@${n} trials`).join(' | ')} |`;
  console.log(`(a) median regret after the same number of completed trials\n\n${headerA}\n${headerA.replace(/[^|]+/g, '---')}`);
  for (const problem of problems) {
    for (const workers of workerCounts) {
      for (const strategy of variants(workers)) {
        const rs = group(problem, workers, strategy);
        console.log(`| ${problem.name} | ${workers} | ${workers === 1 ? '(none pending)' : strategy} | ${TRIAL_MARKS.map((n) => formatNumber(medianAt(rs, n))).join(' | ')} |`);
        console.error(`  (${problem.name}, K=${workers}, ${strategy}: ${rs.reduce((s, r) => s + r.seconds, 0).toFixed(0)} s wall, ${rs.reduce((s, r) => s + r.cpuSeconds, 0).toFixed(0)} s CPU)`);
      }
    }
  }

  const headerB = `| problem | K | pending strategy | ${ROUND_MARKS.map((r) => `regret@${r} rounds (trials)`).join(' | ')} |`;
  console.log(`\n(b) median regret after the same number of rounds (wall clock)\n\n${headerB}\n${headerB.replace(/[^|]+/g, '---')}`);
  for (const problem of problems) {
    for (const workers of workerCounts) {
      for (const strategy of variants(workers)) {
        const rs = group(problem, workers, strategy);
        const cells = ROUND_MARKS.map((r) => `${formatNumber(medianAt(rs, r * workers))} (${Math.min(budget, r * workers)})`);
        console.log(`| ${problem.name} | ${workers} | ${workers === 1 ? '(none pending)' : strategy} | ${cells.join(' | ')} |`);
      }
    }
  }

  const most = Math.max(...workerCounts);
  if (workerCounts.includes(1) && most > 1) {
    console.log(`\n(c) goals: K=${most} at ${budget} trials ÷ K=1 at ${budget} (≤ 1.3 asked); K=${most} at 12 rounds against K=1 at 12 trials\n`);
    console.log(`| problem | strategy | K=1 @${budget} | K=${most} @${budget} | ratio | K=1 @12 trials | K=${most} @12 rounds |\n|---|---|---|---|---|---|---|`);
    for (const problem of problems) {
      const one = group(problem, 1, strategies[0] as PendingStrategy);
      for (const strategy of strategies) {
        const many = group(problem, most, strategy);
        const [a, b] = [medianAt(one, budget), medianAt(many, budget)];
        const ratio = a === 0 && b === 0 ? '1 (both 0)' : formatNumber(b / a);
        console.log(`| ${problem.name} | ${strategy} | ${formatNumber(a)} | ${formatNumber(b)} | ${ratio} | ${formatNumber(medianAt(one, 12))} | ${formatNumber(medianAt(many, 12 * most))} |`);
      }
    }
  }
}

/** CPU milliseconds of one suggestion after `past` random complete trials and `pending` running ones, median of five calls after one not counted. */
function suggestMilliseconds(problem: Problem, past: number, pending: number, strategy: PendingStrategy): number {
  const rng = createRng(`timing-${past}`);
  const random = new RandomSampler();
  const history: Observation[] = [];
  for (let i = 0; i < past + pending; i++) {
    const params = random.suggest(problem.space, history, rng);
    const measured = problem.measure(params, rng);
    if (i >= past) history.push({ params });
    else history.push(typeof measured === 'number' ? { params, value: measured } : { params, failed: measured.failed });
  }
  const sampler = new GpEiSampler({ budget: past + 10, pending: strategy });
  sampler.suggest(problem.space, history, rng.fork('warm-up')); // not counted: the first call compiles
  const times = [0, 1, 2, 3, 4].map((k) => {
    const cpuStarted = process.cpuUsage();
    sampler.suggest(problem.space, history, rng.fork(`call-${k}`));
    const cpu = process.cpuUsage(cpuStarted);
    return (cpu.user + cpu.system) / 1000;
  });
  return median(times);
}

function timeSuggestions(): void {
  console.log(`\n(d) CPU ms of one suggestion at 50 completed trials: none pending, and 4 pending per strategy (median of 5 calls after a warm-up one)\n`);
  console.log(`| problem | none pending | ${strategies.map((s) => `4 pending, ${s}`).join(' | ')} |\n|---|---|${strategies.map(() => '---').join('|')}|`);
  for (const problem of problems) {
    const base = suggestMilliseconds(problem, 50, 0, strategies[0] as PendingStrategy);
    const cells = strategies.map((s) => {
      const ms = suggestMilliseconds(problem, 50, 4, s);
      return `${ms.toFixed(0)} (${(ms / base).toFixed(2)}×)`;
    });
    console.log(`| ${problem.name} | ${base.toFixed(0)} | ${cells.join(' | ')} |`);
  }
}

if (flags.worker) {
  serveRuns(runStudy);
} else {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  console.log(`seeds ${seeds}, budget ${budget}, K = ${workerCounts.join(', ')}, strategies ${strategies.join(', ')}; regret = median over seeds; — = no successful trial yet\n`);
  if (!flags['timing-only']) await compare();
  timeSuggestions();
  const cpu = process.cpuUsage(cpuStarted);
  console.error(`  (total ${((performance.now() - started) / 1000).toFixed(0)} s wall, main process ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU, --jobs ${jobs})`);
}
