/**
 * Random search vs GP-EI (vs Latin hypercube) on the problems in problems.ts.
 *   node --import tsx bench/optimizers/run.ts [--seeds 20] [--budget 50] [--samplers random,bo,lhs]
 *     [--problems branin,serving] [--initial <GP initial design size>] [--timing-only]
 * Prints, per problem and sampler, the median simple regret after 10/20/30/50 trials (true value of the best
 * measured configuration minus the optimum), the median number of trials to come within 5% of the optimum,
 * and how long one GP-EI suggestion takes with 50, 200 and 500 past trials.
 */
import { parseArgs } from 'node:util';
import { createRng } from '../../src/random/rng.ts';
import { createSampler, type SamplerName } from '../../src/samplers/factory.ts';
import { RandomSampler } from '../../src/samplers/random.ts';
import type { Observation } from '../../src/samplers/sampler.ts';
import { Study } from '../../src/study/study.ts';
import { PROBLEMS, type Problem } from './problems.ts';

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    budget: { type: 'string', default: '50' },
    samplers: { type: 'string', default: 'random,bo,lhs' },
    problems: { type: 'string', default: '' },
    initial: { type: 'string' },
    'timing-only': { type: 'boolean', default: false },
  },
});
const seeds = Number(flags.seeds);
const initialTrials = flags.initial === undefined ? undefined : Number(flags.initial);
const budget = Number(flags.budget);
const samplerNames = flags.samplers.split(',') as SamplerName[];
const checkpoints = [10, 20, 30, 50].filter((k) => k <= budget);
const problems = PROBLEMS.filter((p) => flags.problems === '' || flags.problems.split(',').some((word) => p.name.includes(word)));

/** True value of the best measured configuration after each trial (Infinity until one succeeds). */
function bestSoFar(problem: Problem, samplerName: SamplerName, seed: number): number[] {
  const study = new Study({ space: problem.space, sampler: createSampler(samplerName, { budget, seed, initialTrials }), seed, baselineFirst: false });
  const noise = createRng(seed).fork('noise');
  const curve: number[] = [];
  let bestMeasured = Infinity;
  let bestTruth = Infinity;
  for (let i = 0; i < budget; i++) {
    const { number, params } = study.ask();
    const measured = problem.measure(params, noise);
    study.tell(number, measured);
    if (typeof measured === 'number' && measured < bestMeasured) {
      bestMeasured = measured;
      bestTruth = problem.truth(params) ?? Infinity;
    }
    curve.push(bestTruth - problem.optimum);
  }
  return curve;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  return Math.abs(value) >= 100 || Math.abs(value) < 0.001 ? value.toExponential(1) : value.toPrecision(3);
}

function compareSamplers(): void {
  const header = `| problem | sampler | ${checkpoints.map((k) => `regret@${k}`).join(' | ')} | trials to 5% |`;
  console.log(header);
  console.log(header.replace(/[^|]+/g, '---'));
  for (const problem of problems) {
    const tolerance = 0.05 * Math.abs(problem.optimum);
    for (const name of samplerNames) {
      const started = performance.now();
      const curves = Array.from({ length: seeds }, (_, seed) => bestSoFar(problem, name, seed));
      const regrets = checkpoints.map((k) => formatNumber(median(curves.map((curve) => curve[k - 1] as number))));
      const reach = median(curves.map((curve) => { const i = curve.findIndex((r) => r <= tolerance); return i < 0 ? Infinity : i + 1; }));
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`| ${problem.name} | ${name} | ${regrets.join(' | ')} | ${Number.isFinite(reach) ? reach : `>${budget}`} |`);
      console.error(`  (${problem.name} / ${name}: ${seconds} s)`);
    }
  }
}

/**
 * Wall and CPU time of one GP-EI suggestion after `past` random trials, medians of three calls. CPU time is
 * the fairer figure on a shared machine: wall time includes waiting for a core.
 */
function suggestMilliseconds(problem: Problem, past: number): { wall: number; cpu: number } {
  const rng = createRng(`timing-${past}`);
  const random = new RandomSampler();
  const history: Observation[] = [];
  for (let i = 0; i < past; i++) {
    const params = random.suggest(problem.space, history, rng);
    const measured = problem.measure(params, rng);
    history.push(typeof measured === 'number' ? { params, value: measured } : { params, failed: measured.failed });
  }
  const sampler = createSampler('bo', { budget: past + 10 });
  const times = [0, 1, 2].map((k) => {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    sampler.suggest(problem.space, history, rng.fork(`call-${k}`));
    const cpu = process.cpuUsage(cpuStarted);
    return { wall: performance.now() - started, cpu: (cpu.user + cpu.system) / 1000 };
  });
  return { wall: median(times.map((t) => t.wall)), cpu: median(times.map((t) => t.cpu)) };
}

function timeSuggestions(): void {
  const sizes = [50, 200, 500];
  console.log(`\n| problem | ${sizes.map((n) => `suggest ms @${n} past, wall (cpu)`).join(' | ')} |`);
  console.log(`|---|${sizes.map(() => '---').join('|')}|`);
  for (const problem of problems.filter((p) => p.name.startsWith('hartmann6') || p.name.startsWith('serving'))) {
    const cells = sizes.map((n) => suggestMilliseconds(problem, n)).map(({ wall, cpu }) => `${wall.toFixed(0)} (${cpu.toFixed(0)})`);
    console.log(`| ${problem.name} | ${cells.join(' | ')} |`);
  }
}

console.log(`seeds ${seeds}, budget ${budget}; regret = median over seeds; — = no successful trial yet\n`);
if (!flags['timing-only']) compareSamplers();
timeSuggestions();
