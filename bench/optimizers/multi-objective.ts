/**
 * Multi-objective search on a serving-like problem: latency against cost.
 *   node --import tsx bench/optimizers/multi-objective.ts [--seeds 20] [--budget 30]
 * The knobs and constraints are problems.ts's serving problem's (replicas × CPUs × memory × batching × threads,
 * out of memory below the batch's need) on an 8-core host; the latency is its model with the two changes that
 * make resources trade against latency (below); the cost is what the reservation bills per million requests at
 * that latency (Fargate prices). Per method, over seeds: the median hypervolume of the true values measured after
 * `budget` trials (random search also after 2 × budget), and its ratio to the hypervolume of the true front,
 * found by brute force over the grid. The reference point is fixed for every method: 1.1 × the worst value of
 * each objective on the true front, so only points in the front's region count.
 *
 * Methods: ParEGO (`bo` with two objectives); random search; GP-EI on one fixed equal-weight scalarization
 * (the same augmented Chebyshev function ParEGO uses, its weights never redrawn); GP-EI on each objective alone.
 */
import { parseArgs } from 'node:util';
import { hypervolume } from '../../src/dse/hypervolume.ts';
import { FARGATE_US_EAST_1, reservationCostUsd } from '../../src/measure/prices.ts';
import { createRng } from '../../src/random/rng.ts';
import { createSampler } from '../../src/samplers/factory.ts';
import { GpEiSampler } from '../../src/samplers/gp-ei.ts';
import { scalarizedHistory } from '../../src/samplers/parego.ts';
import type { Observation, Sampler } from '../../src/samplers/sampler.ts';
import type { Params } from '../../src/space/params.ts';
import { PROBLEMS } from './problems.ts';

const { values: flags } = parseArgs({ options: { seeds: { type: 'string', default: '20' }, budget: { type: 'string', default: '30' } } });
const seeds = Number(flags.seeds);
const budget = Number(flags.budget);

const serving = PROBLEMS.find((p) => p.name.startsWith('serving'));
if (serving === undefined) throw new Error('problems.ts has no serving problem');
/** Twice the serving problem's cores, so four replicas of two CPUs can be bought: the fast, dear end of the front. */
const space = { ...serving.space, context: { host_cores: 8 } };

const CLIENTS = 16; // the serving problem's closed loop
const num = (params: Params, name: string): number => params[name] as number;
const memoryNeedMb = (batch: number) => 150 + 40 * batch; // as in the serving problem: below it, the replica is killed
/** Share of a batch's work that parallelises over threads (Amdahl). */
const PARALLEL_SHARE = 0.5;

/**
 * The serving problem's latency model, with two changes. There, latency falls in proportion to the CPUs a
 * replica uses, so cost (reservation × latency) is flat in them and the latency–cost front collapses to two
 * points; here threads speed a batch up by Amdahl's law, so every CPU bought saves less time than the one
 * before. And memory pressure fades smoothly above the need (more headroom, fewer collections) rather than in
 * one step, so memory trades a little latency for a little cost all along the front.
 */
function latencyMs(p: Params): number {
  const replicas = num(p, 'replicas');
  const cpus = num(p, 'cpus');
  const maxBatch = num(p, 'max_batch_size');
  const threads = num(p, 'intra_op_threads');
  const perReplica = CLIENTS / replicas;
  const batch = Math.min(maxBatch, perReplica);
  const cores = Math.min(threads, cpus) * (threads > cpus ? 0.8 : 1);
  const batchMs = (8 * (1 + 0.55 * (batch - 1) ** 0.85)) * (1 - PARALLEL_SHARE + PARALLEL_SHARE / cores);
  const pressure = 1 + 0.25 * Math.exp(-3 * (num(p, 'memory_mb') / memoryNeedMb(maxBatch) - 1));
  const timeoutMs = num(p, 'batch_timeout_us') / 1000;
  const waitMs = maxBatch > perReplica ? timeoutMs : 0.1 * timeoutMs;
  return (perReplica * (batchMs * pressure + waitMs)) / batch + 0.4 * replicas;
}

/** Dollars per million requests: the reservation billed for as long as a million requests take at this latency. */
function costPerMillion(params: Params, latency: number): number {
  const reservation = { replicas: num(params, 'replicas'), cpus: num(params, 'cpus'), memoryMb: num(params, 'memory_mb') };
  return reservationCostUsd(reservation, (1e6 * latency) / 1000 / CLIENTS, FARGATE_US_EAST_1);
}

/** [latency ms, USD per million requests], or undefined where the configuration runs out of memory. */
function objectives(params: Params): [number, number] | undefined {
  if (num(params, 'memory_mb') < memoryNeedMb(num(params, 'max_batch_size'))) return undefined;
  const latency = latencyMs(params);
  return [latency, costPerMillion(params, latency)];
}

/**
 * The true front by brute force over the grid of every knob (each memory value in MB), at a batch timeout of 0:
 * in this model waiting for a batch only adds latency, and cost grows with latency, so any other timeout is
 * dominated by 0.
 */
function trueFront(): number[][] {
  const points: number[][] = [];
  for (let replicas = 1; replicas <= 4; replicas++) {
    for (let cpus = 0.5; cpus <= 2; cpus += 0.25) {
      for (let exponent = 0; exponent <= 6; exponent++) {
        for (let threads = 1; threads <= 2; threads++) {
          if (replicas * cpus > space.context.host_cores || threads > Math.ceil(cpus)) continue;
          for (let memory = 128; memory <= 2048; memory++) {
            const values = objectives({ replicas, cpus, memory_mb: memory, max_batch_size: 2 ** exponent, batch_timeout_us: 0, intra_op_threads: threads });
            if (values !== undefined) points.push(values);
          }
        }
      }
    }
  }
  return nonDominated2d(points);
}

/** A sweep (the grid has a few hundred thousand points; the pairwise test would take hours). */
function nonDominated2d(points: readonly number[][]): number[][] {
  const sorted = [...points].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  const front: number[][] = [];
  for (const point of sorted) if (front.length === 0 || (point[1] as number) < (front[front.length - 1]![1] as number)) front.push(point);
  return front;
}

/** What a method tells its sampler about a measured configuration. */
type Told = (values: readonly number[]) => number;

interface Method {
  name: string;
  sampler: (seed: number) => Sampler;
  /** The value each observation carries (ParEGO and random search ignore it; the single-objective runs minimise it). */
  told: Told;
  budgets: number[];
}

/** GP-EI on one fixed scalarization of the history, recomputed (as ParEGO does) over the trials so far. */
function fixedWeights(weights: readonly number[], seed: number): Sampler {
  const gpEi = new GpEiSampler({ budget, seed });
  return { name: 'bo', suggest: (s, history, rng, context) => gpEi.suggest(s, scalarizedHistory(history, weights), rng, context) };
}

const METHODS: Method[] = [
  { name: 'ParEGO (bo, 2 objectives)', sampler: (seed) => createSampler('bo', { budget, seed, objectives: 2 }), told: (v) => v[0] as number, budgets: [budget] },
  { name: 'random', sampler: () => createSampler('random'), told: (v) => v[0] as number, budgets: [budget, 2 * budget] },
  { name: 'GP-EI, equal-weight Chebyshev', sampler: (seed) => fixedWeights([0.5, 0.5], seed), told: (v) => v[0] as number, budgets: [budget] },
  { name: 'GP-EI, latency only', sampler: (seed) => createSampler('bo', { budget, seed }), told: (v) => v[0] as number, budgets: [budget] },
  { name: 'GP-EI, cost only', sampler: (seed) => createSampler('bo', { budget, seed }), told: (v) => v[1] as number, budgets: [budget] },
];

/** The true values measured, trial by trial (undefined where a trial failed); each attempt on its own stream, as in a Study. */
function run(method: Method, seed: number): (number[] | undefined)[] {
  const sampler = method.sampler(seed);
  const rng = createRng(seed);
  const history: Observation[] = [];
  const measured: (number[] | undefined)[] = [];
  const trials = Math.max(...method.budgets);
  for (let attempt = 0; attempt < trials; attempt++) {
    const params = sampler.suggest(space, history, rng.fork(`attempt-${attempt}`));
    const values = objectives(params);
    history.push(values === undefined ? { params, failed: 'oom_killed' } : { params, value: method.told(values), values });
    measured.push(values);
  }
  return measured;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const front = trueFront();
const reference = [0, 1].map((k) => 1.1 * Math.max(...front.map((p) => p[k] as number)));
const best = hypervolume(front, reference);
const perSeedHypervolume = (measured: readonly (number[] | undefined)[], trials: number) =>
  hypervolume(measured.slice(0, trials).filter((v): v is number[] => v !== undefined), reference);

console.log(`serving-like latency against cost: ${seeds} seeds; true front ${front.length} points, hypervolume ${best.toPrecision(4)}`);
console.log(`reference point ${reference[0]!.toFixed(2)} ms, $${reference[1]!.toFixed(4)} per million requests (1.1 × the true front's worst)\n`);
console.log('| method | trials | median hypervolume | ÷ true front | worst seed | best seed |');
console.log('|---|---|---|---|---|---|');
for (const method of METHODS) {
  const started = performance.now();
  const runs = Array.from({ length: seeds }, (_, seed) => run(method, seed));
  for (const trials of method.budgets) {
    const volumes = runs.map((measured) => perSeedHypervolume(measured, trials));
    const cells = [median(volumes), Math.min(...volumes), Math.max(...volumes)].map((v) => v / best);
    console.log(`| ${method.name} | ${trials} | ${median(volumes).toPrecision(4)} | ${cells[0]!.toFixed(3)} | ${cells[1]!.toFixed(3)} | ${cells[2]!.toFixed(3)} |`);
  }
  console.error(`  (${method.name}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
