/**
 * Random search vs GP-EI (vs Latin hypercube) on the problems in problems.ts.
 *   node --import tsx bench/optimizers/run.ts [--seeds 20] [--budget 20,50] [--samplers random,bo,lhs]
 *     [--problems branin,serving] [--initial <GP initial design size>] [--jobs 2] [--timing-only]
 * One table per budget, every run sized by it (the GP's initial design, the Latin hypercube): per problem and
 * sampler, the median simple regret at 10/20/30/50 trials, the median number of trials to come within 5% of the
 * optimum, and how many seeds end within 5%. Regret is the true value of the configuration the study reports as
 * best, minus the optimum: its best measured trial or, on noisy problems, the Study's posterior best (a GP fit,
 * so read at the checkpoints only). Then how long one GP-EI suggestion takes with 50, 200 and 500 past trials.
 * --jobs N shares the runs among N worker processes (this script with --worker). The real problems ("replay …") are
 * the studies in replays/*.json, or in the folder BENCH_REPLAYS names (replay-problems.ts).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../../src/random/rng.ts';
import { createSampler, type SamplerName } from '../../src/samplers/factory.ts';
import { RandomSampler } from '../../src/samplers/random.ts';
import type { Observation } from '../../src/samplers/sampler.ts';
import { Study } from '../../src/study/study.ts';
import { formatNumber, median, runAll, serveRuns } from './jobs.ts';
import { PROBLEMS, type Problem } from './problems.ts';

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    budget: { type: 'string', default: '20,50' },
    samplers: { type: 'string', default: 'random,bo,lhs' },
    problems: { type: 'string', default: '' },
    initial: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    'timing-only': { type: 'boolean', default: false },
    worker: { type: 'boolean', default: false },
  },
});
const seeds = Number(flags.seeds);
const initialTrials = flags.initial === undefined ? undefined : Number(flags.initial);
const budgets = flags.budget.split(',').map(Number);
const jobs = Number(flags.jobs);
const samplerNames = flags.samplers.split(',') as SamplerName[];
const problems = PROBLEMS.filter((p) => flags.problems === '' || flags.problems.split(',').some((word) => p.name.includes(word)));
if (![seeds, jobs, ...budgets].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--seeds, --jobs and --budget take positive integers');

/** One study: a problem (index into PROBLEMS), a sampler sized by the budget, a seed. */
interface Run {
  problem: number;
  sampler: SamplerName;
  budget: number;
  seed: number;
  initialTrials: number | undefined;
}

interface RunResult {
  /** At each of checkpoints(budget). */
  regrets: number[];
  /** Trials until the regret was within 5% (noisy problems: the first checkpoint that was); Infinity: never. */
  reach: number;
  seconds: number;
}

function checkpoints(budget: number): number[] {
  return [...[10, 20, 30].filter((k) => k < budget), budget];
}

const tolerance = (problem: Problem) => 0.05 * Math.abs(problem.optimum);

function runStudy({ problem: index, sampler, budget, seed, initialTrials }: Run): RunResult {
  const started = performance.now();
  const problem = PROBLEMS[index] as Problem;
  const study = new Study({ space: problem.space, sampler: createSampler(sampler, { budget, seed, initialTrials }), seed, baselineFirst: false });
  const noise = createRng(seed).fork('noise');
  const marks = checkpoints(budget);
  const regrets: number[] = [];
  let reach = Infinity;
  for (let trial = 1; trial <= budget; trial++) {
    const { number, params } = study.ask();
    study.tell(number, problem.measure(params, noise));
    if (problem.noisy && !marks.includes(trial)) continue;
    const regret = reportedTruth(problem, study) - problem.optimum;
    if (regret <= tolerance(problem)) reach = Math.min(reach, trial);
    if (marks.includes(trial)) regrets.push(regret);
  }
  return { regrets, reach, seconds: (performance.now() - started) / 1000 };
}

/** The true value of the trial the study names best (Infinity until one succeeds). */
function reportedTruth(problem: Problem, study: Study): number {
  const number = problem.noisy ? study.posteriorBest()?.number : study.best()?.number;
  const params = study.trials().find((t) => t.number === number)?.params;
  return params === undefined ? Infinity : (problem.truth(params) ?? Infinity);
}

async function compareSamplers(): Promise<void> {
  const runs = budgets.flatMap((budget) =>
    problems.flatMap((problem) =>
      samplerNames.flatMap((sampler) =>
        Array.from({ length: seeds }, (_, seed) => ({ problem: PROBLEMS.indexOf(problem), sampler, budget, seed, initialTrials })),
      ),
    ),
  );
  const results = await runAll(fileURLToPath(import.meta.url), runs, jobs, runStudy);
  let cursor = 0;
  for (const budget of budgets) {
    const marks = checkpoints(budget);
    const header = `| problem | sampler | ${marks.map((k) => `regret@${k}`).join(' | ')} | trials to 5% | within 5% by ${budget} |`;
    console.log(`budget ${budget}\n\n${header}\n${header.replace(/[^|]+/g, '---')}`);
    for (const problem of problems) {
      for (const name of samplerNames) {
        const group = results.slice(cursor, (cursor += seeds));
        const regrets = marks.map((_, k) => formatNumber(median(group.map((r) => r.regrets[k] as number))));
        const reach = median(group.map((r) => r.reach));
        const within = group.filter((r) => (r.regrets.at(-1) as number) <= tolerance(problem)).length;
        const reachCell = Number.isFinite(reach) ? `${reach}${problem.noisy ? '†' : ''}` : `>${budget}`;
        console.log(`| ${problem.name} | ${name} | ${regrets.join(' | ')} | ${reachCell} | ${within} of ${seeds} |`);
        console.error(`  (budget ${budget}, ${problem.name} / ${name}: ${group.reduce((s, r) => s + r.seconds, 0).toFixed(0)} s)`);
      }
    }
    console.log(problems.some((p) => p.noisy) ? '\n† noisy problems: the first checkpoint within 5%\n' : '');
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
  console.log(`| problem | ${sizes.map((n) => `suggest ms @${n} past, wall (cpu)`).join(' | ')} |`);
  console.log(`|---|${sizes.map(() => '---').join('|')}|`);
  for (const problem of problems.filter((p) => /^(hartmann6 \(|serving)/.test(p.name))) {
    const cells = sizes.map((n) => suggestMilliseconds(problem, n)).map(({ wall, cpu }) => `${wall.toFixed(0)} (${cpu.toFixed(0)})`);
    console.log(`| ${problem.name} | ${cells.join(' | ')} |`);
  }
}

if (flags.worker) {
  serveRuns(runStudy);
} else {
  const started = performance.now();
  console.log(`seeds ${seeds}, budgets ${budgets.join(' and ')}; regret = median over seeds; — = no successful trial yet\n`);
  if (!flags['timing-only']) await compareSamplers();
  timeSuggestions();
  console.error(`  (total ${((performance.now() - started) / 1000).toFixed(0)} s wall, --jobs ${jobs})`);
}
