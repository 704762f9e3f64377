/**
 * Load as a context: one GP-EI model shared across a sweep's load levels (the load a context the optimizer
 * conditions on, as `tune sweep` runs BO) against an independent GP-EI study per level, at the same budget.
 *   node --import tsx bench/optimizers/context.ts [--seeds 20] [--splits 15/15/15/15,24/16/12/8] [--noise 0]
 * The landscape is the serving problem's (problems.ts) with the client concurrency as an input: with more
 * clients the best batch grows (1 → 16) and more, smaller replicas win (1 → 4). Levels 1, 4, 16 and 64 clients.
 * Prints, per budget split and level, the median over seeds of the regret of the best configuration measured at
 * that level (its true latency minus the level's optimum), both ways, their ratio, and the means.
 */
import { parseArgs } from 'node:util';
import { createRng, type Rng } from '../../src/random/rng.ts';
import { createSampler } from '../../src/samplers/factory.ts';
import type { Params } from '../../src/space/params.ts';
import { parseSearchSpace } from '../../src/space/parse.ts';
import { unwrapSpace } from '../../src/space/space-error.ts';
import { loadContext, loadRange } from '../../src/study/load-context.ts';
import { sharedContext, type ContextMember } from '../../src/study/shared-model.ts';
import { Study } from '../../src/study/study.ts';
import { memoryTrials } from '../../src/study/trial-store.ts';

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    splits: { type: 'string', default: '15/15/15/15,24/16/12/8' },
    noise: { type: 'string', default: '0' },
  },
});
const seeds = Number(flags.seeds);
const splits = flags.splits.split(',').map((split) => split.split('/').map(Number));
/** Relative standard deviation of the measurement noise. */
const noise = Number(flags.noise);

const LEVELS = [1, 4, 16, 64];
const HOST_CORES = 4;
const space = unwrapSpace(
  parseSearchSpace(
    {
      parameters: [
        { name: 'replicas', kind: 'int', low: 1, high: 4, default: 1 },
        { name: 'cpus', kind: 'float', low: 0.5, high: 2, step: 0.25, default: 1 },
        { name: 'memory_mb', kind: 'int', low: 128, high: 2048, log: true, default: 512 },
        { name: 'max_batch_size', kind: 'pow2', low: 1, high: 64, default: 1 },
        { name: 'batch_timeout_us', kind: 'int', low: 0, high: 20000, step: 250, default: 0 },
        { name: 'intra_op_threads', kind: 'int', low: 1, high: 2, default: 1 },
      ],
      constraints: ['replicas * cpus <= host_cores', 'intra_op_threads <= ceil(cpus)'],
    },
    'bench-context',
    { host_cores: HOST_CORES },
  ),
);

const num = (params: Params, name: string): number => params[name] as number;

/** Memory a replica needs: the model plus activations growing with the batch (MB); below it, an OOM kill. */
function memoryNeed(batch: number): number {
  return 150 + 40 * batch;
}

/**
 * Mean latency (ms) of a closed loop of `clients` spread over the replicas. As in problems.ts's serving problem,
 * a batch costs less per item as it grows, threads beyond the CPU quota contend, memory just above the need slows
 * collection and a batch that can never fill waits out its timeout; here a replica's speed grows sublinearly
 * with its CPUs (so many small replicas win under load) and each replica adds routing overhead (so few win when
 * idle). Undefined where the configuration is killed for memory.
 */
function latency(p: Params, clients: number): number | undefined {
  const maxBatch = num(p, 'max_batch_size');
  if (num(p, 'memory_mb') < memoryNeed(maxBatch)) return undefined;
  const replicas = num(p, 'replicas');
  const cpus = num(p, 'cpus');
  const threads = num(p, 'intra_op_threads');
  const perReplica = clients / replicas;
  const batch = Math.max(1, Math.min(maxBatch, perReplica));
  const speed = Math.min(threads, cpus) ** 0.7 * (threads > cpus ? 0.8 : 1);
  const batchMs = (8 * (1 + 0.55 * (batch - 1) ** 0.85)) / speed;
  const pressure = num(p, 'memory_mb') < 1.3 * memoryNeed(maxBatch) ? 1.25 : 1;
  const waitMs = (maxBatch > perReplica ? 1 : 0.1) * (num(p, 'batch_timeout_us') / 1000);
  return (Math.max(1, perReplica) / batch) * batchMs * pressure + waitMs + 0.4 * replicas;
}

/** Brute force over the grid, memory at its maximum (more never hurts here): the best latency and where. */
function optimum(clients: number): { value: number; params: Params } {
  let best = { value: Infinity, params: {} as Params };
  for (let replicas = 1; replicas <= 4; replicas++) {
    for (let cpus = 0.5; cpus <= 2; cpus += 0.25) {
      for (let exponent = 0; exponent <= 6; exponent++) {
        for (let timeout = 0; timeout <= 20000; timeout += 250) {
          for (let threads = 1; threads <= 2; threads++) {
            if (replicas * cpus > HOST_CORES || threads > Math.ceil(cpus)) continue;
            const params = { replicas, cpus, memory_mb: 2048, max_batch_size: 2 ** exponent, batch_timeout_us: timeout, intra_op_threads: threads };
            const value = latency(params, clients);
            if (value !== undefined && value < best.value) best = { value, params };
          }
        }
      }
    }
  }
  return best;
}

const OPTIMA = LEVELS.map(optimum);

function measure(params: Params, clients: number, rng: Rng): number | { failed: string } {
  const truth = latency(params, clients);
  return truth === undefined ? { failed: 'oom_killed' } : truth * (1 + noise * rng.normal());
}

/**
 * One sweep: a study per level with its budget, taking turns as `tune sweep` does (the level furthest behind its
 * budget goes next, so with equal budgets a round-robin); shared or not. Returns each level's regret.
 */
function sweep(budgets: readonly number[], seed: number, shared: boolean): number[] {
  const range = loadRange(LEVELS);
  const stores = LEVELS.map((_, i) => memoryTrials(`level-${i}`));
  const members: ContextMember[] = LEVELS.map((clients, i) => ({ context: loadContext(clients, range), trials: () => stores[i]!.trials() }));
  const studies = LEVELS.map(
    (_, i) =>
      new Study({
        space,
        sampler: createSampler('bo', { budget: budgets[i], seed }),
        seed,
        trials: stores[i],
        baselineFirst: false,
        ...(shared && { context: sharedContext(members, members[i]!) }),
      }),
  );
  const noiseRng = createRng(seed).fork('noise');
  const done = LEVELS.map(() => 0);
  const bestMeasured = LEVELS.map(() => ({ measured: Infinity, truth: Infinity }));
  for (let step = 0; step < budgets.reduce((a, b) => a + b, 0); step++) {
    const i = nextLevel(done, budgets);
    const clients = LEVELS[i] as number;
    const { number, params } = studies[i]!.ask();
    const measured = measure(params, clients, noiseRng);
    studies[i]!.tell(number, measured);
    done[i]! += 1;
    if (typeof measured === 'number' && measured < bestMeasured[i]!.measured) bestMeasured[i] = { measured, truth: latency(params, clients) as number };
  }
  return bestMeasured.map((best, i) => best.truth - OPTIMA[i]!.value);
}

function nextLevel(done: readonly number[], budgets: readonly number[]): number {
  let next = -1;
  for (let i = 0; i < budgets.length; i++) {
    if ((done[i] as number) >= (budgets[i] as number)) continue;
    if (next < 0 || (done[i] as number) / (budgets[i] as number) < (done[next] as number) / (budgets[next] as number)) next = i;
  }
  return next;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value === 0 ? '0' : value.toPrecision(3);
}

console.log(`seeds ${seeds}, levels ${LEVELS.join(', ')} clients, noise sd ${noise * 100}% of the latency; regret in ms, median over seeds\n`);
console.log('| clients | optimum ms | best configuration |');
console.log('|---|---|---|');
LEVELS.forEach((clients, i) => {
  const { value, params } = OPTIMA[i]!;
  console.log(`| ${clients} | ${value.toFixed(2)} | ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ')} |`);
});
console.log('\n| budgets | clients | trials | independent | shared | shared ÷ independent | mean: independent | mean: shared |');
console.log('|---|---|---|---|---|---|---|---|');
for (const budgets of splits) {
  const started = performance.now();
  const independent = Array.from({ length: seeds }, (_, seed) => sweep(budgets, seed, false));
  const shared = Array.from({ length: seeds }, (_, seed) => sweep(budgets, seed, true));
  const fewest = Math.min(...budgets);
  LEVELS.forEach((clients, i) => {
    const [a, b] = [median(independent.map((r) => r[i] as number)), median(shared.map((r) => r[i] as number))];
    const [meanA, meanB] = [mean(independent.map((r) => r[i] as number)), mean(shared.map((r) => r[i] as number))];
    const ratio = a > 0 ? formatNumber(b / a) : b === 0 ? '1 (both 0)' : '—';
    const least = budgets[i] === fewest && new Set(budgets).size > 1 ? ' (least measured)' : '';
    console.log(`| ${budgets.join('/')} | ${clients} | ${budgets[i]}${least} | ${formatNumber(a)} | ${formatNumber(b)} | ${ratio} | ${formatNumber(meanA)} | ${formatNumber(meanB)} |`);
  });
  console.error(`  (${budgets.join('/')}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
