/**
 * `tune compare random bo`: how the strategies did over their seeds (pure). Per strategy: the best value found,
 * the best after 10/20/30/50 trials, the trials needed to come within 5% of the best configuration any compared
 * study found, and the speed-up over the baseline (trial 0); with two or more seeds on both sides, a permutation
 * test on the per-seed bests.
 */
import { median, permutationTest } from 'simple-statistics';
import type { Objective } from '../storage/storage.ts';
import { studyBestSoFar } from './convergence.ts';
import { groupBy, measuredObjective, type StudyTrials } from './study-trials.ts';

export interface CompareOptions {
  /** Source of uniform [0, 1) numbers for the permutation test, so a comparison is reproducible. */
  random: () => number;
  metric?: Objective;
  checkpoints?: readonly number[];
  tolerance?: number;
  permutations?: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface StrategyResult {
  strategy: string;
  seeds: number;
  best?: Spread;
  bestAfter: { trials: number; spread?: Spread }[];
  /** Trials (counting the baseline) until the best so far is within tolerance of the best known; seeds that got there. */
  trialsToNearBest?: Spread;
  speedup?: Spread;
}

export interface SignificanceTest {
  strategy: string;
  against: string;
  pValue: number;
  permutations: number;
}

export interface Comparison {
  metric: Objective;
  bestKnown?: number;
  tolerance: number;
  strategies: StrategyResult[];
  tests: SignificanceTest[];
}

const DEFAULT_CHECKPOINTS = [10, 20, 30, 50];

function spread(values: readonly (number | undefined)[]): Spread | undefined {
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (defined.length === 0) return undefined;
  return { median: median(defined), min: Math.min(...defined), max: Math.max(...defined), n: defined.length };
}

interface SeedResult {
  curve: (number | undefined)[]; // best so far, indexed by trial number
  best?: number;
  baseline?: number;
}

function seedResult(entry: StudyTrials, metric: Objective): SeedResult {
  const curve = studyBestSoFar({ study: { ...entry.study, objective: metric }, trials: entry.trials });
  const baselineTrial = entry.trials.find((t) => t.number === 0);
  return { curve, best: curve.at(-1), baseline: baselineTrial && measuredObjective(baselineTrial, metric) };
}

/** Trials needed (a count, so trial number + 1) to get within tolerance of `target`, or undefined if never. */
export function trialsToReach(curve: readonly (number | undefined)[], target: number, tolerance: number): number | undefined {
  const index = curve.findIndex((v) => v !== undefined && v <= target * (1 + tolerance));
  return index === -1 ? undefined : index + 1;
}

function strategyResult(strategy: string, seeds: readonly SeedResult[], bestKnown: number | undefined, o: Required<CompareOptions>): StrategyResult {
  const result: StrategyResult = {
    strategy,
    seeds: seeds.length,
    // A seed that ran fewer trials than a checkpoint has no value there.
    bestAfter: o.checkpoints.map((trials) => {
      const after = spread(seeds.map((s) => (s.curve.length >= trials ? s.curve[trials - 1] : undefined)));
      return after ? { trials, spread: after } : { trials };
    }),
  };
  const best = spread(seeds.map((s) => s.best));
  const speedup = spread(seeds.map((s) => (s.baseline !== undefined && s.best !== undefined && s.best > 0 ? s.baseline / s.best : undefined)));
  const near = bestKnown === undefined ? undefined : spread(seeds.map((s) => trialsToReach(s.curve, bestKnown, o.tolerance)));
  return { ...result, ...(best && { best }), ...(near && { trialsToNearBest: near }), ...(speedup && { speedup }) };
}

function significance(a: string, aBests: number[], b: string, bBests: number[], o: Required<CompareOptions>): SignificanceTest | undefined {
  if (aBests.length < 2 || bBests.length < 2) return undefined;
  const pValue = permutationTest(aBests, bBests, 'two_side', o.permutations, o.random);
  return { strategy: a, against: b, pValue, permutations: o.permutations };
}

/** Compares strategies over the given studies; tests each strategy against the first one listed. */
export function compareStrategies(studies: readonly StudyTrials[], options: CompareOptions): Comparison {
  const o: Required<CompareOptions> = { metric: 'mean', checkpoints: DEFAULT_CHECKPOINTS, tolerance: 0.05, permutations: 10000, ...options };
  const byStrategy = [...groupBy(studies, (e) => e.study.strategy)].map(([strategy, entries]) => ({
    strategy,
    seeds: entries.map((e) => seedResult(e, o.metric)),
  }));
  const bests = byStrategy.flatMap((s) => s.seeds.map((seed) => seed.best)).filter((v): v is number => v !== undefined);
  const bestKnown = bests.length > 0 ? Math.min(...bests) : undefined;
  const bestsOf = (seeds: SeedResult[]) => seeds.map((s) => s.best).filter((v): v is number => v !== undefined);
  const [reference, ...others] = byStrategy;
  const tests = reference === undefined ? [] : others.flatMap((other) => {
    const test = significance(other.strategy, bestsOf(other.seeds), reference.strategy, bestsOf(reference.seeds), o);
    return test ? [test] : [];
  });
  return {
    metric: o.metric,
    ...(bestKnown !== undefined && { bestKnown }),
    tolerance: o.tolerance,
    strategies: byStrategy.map((s) => strategyResult(s.strategy, s.seeds, bestKnown, o)),
    tests,
  };
}
