/**
 * `tune compare random bo`: how the strategies did over their seeds (pure). Per strategy: the best value found,
 * the best after 10/20/30/50 measured trials (what the budget counts), the trials needed to come within 5% of
 * the best configuration any compared study found, and the speed-up over the baseline; with two or more seeds
 * on both sides, a permutation test on the per-seed bests. With the comparison as aligned text lines.
 */
import { median, permutationTest } from 'simple-statistics';
import type { StudyTrials } from '../domain/records.ts';
import { speedup } from '../domain/trials.ts';
import { OBJECTIVE_LABEL, type Objective } from '../domain/vocabulary.ts';
import { studyBestSoFar } from '../report/convergence.ts';
import { formatSpeedup, formatValue } from '../report/format.ts';
import { groupBy } from '../report/study-trials.ts';
import { textTable } from '../report/table.ts';

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
  curve: (number | undefined)[]; // best so far, indexed by measured trial (0 = the baseline)
  best?: number;
  speedup?: number; // baseline ÷ best, on the compared metric
}

function seedResult(entry: StudyTrials, metric: Objective): SeedResult {
  const curve = studyBestSoFar({ study: { ...entry.study, objective: metric }, trials: entry.trials });
  return { curve, best: curve.at(-1), speedup: speedup(entry.trials, metric) };
}

/** Measured trials needed (a count, so index + 1) to get within tolerance of `target`, or undefined if never. */
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
  const speedups = spread(seeds.map((s) => s.speedup));
  const near = bestKnown === undefined ? undefined : spread(seeds.map((s) => trialsToReach(s.curve, bestKnown, o.tolerance)));
  return { ...result, ...(best && { best }), ...(near && { trialsToNearBest: near }), ...(speedups && { speedup: speedups }) };
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

/** "median [min–max]", or the median alone when every seed agrees. */
function spreadText(s: Spread | undefined, format: (v: number) => string = formatValue): string {
  if (s === undefined) return '–';
  const [low, high] = [format(s.min), format(s.max)];
  return low === high ? format(s.median) : `${format(s.median)} [${low}–${high}]`;
}

function row(result: StrategyResult): string[] {
  const near = result.trialsToNearBest;
  return [
    result.strategy,
    String(result.seeds),
    spreadText(result.best),
    ...result.bestAfter.map((b) => spreadText(b.spread)),
    near === undefined ? `never (0/${result.seeds})` : `${spreadText(near, String)} (${near.n}/${result.seeds})`,
    spreadText(result.speedup, formatSpeedup),
  ];
}

export function comparisonLines(comparison: Comparison): string[] {
  const checkpoints = comparison.strategies[0]?.bestAfter.map((b) => `best@${b.trials}`) ?? [];
  const tolerance = `${Math.round(comparison.tolerance * 100)}%`;
  const header = ['strategy', 'seeds', 'best', ...checkpoints, `trials to within ${tolerance}`, 'speed-up vs baseline'];
  const lines = [
    `Objective: ${OBJECTIVE_LABEL[comparison.metric]}, lower is better; median [min–max] over seeds. Best known: ${formatValue(comparison.bestKnown)}.`,
    ...textTable(header, comparison.strategies.map(row)),
  ];
  for (const test of comparison.tests) {
    lines.push(`${test.strategy} vs ${test.against}: p = ${test.pValue.toFixed(3)} (two-sided permutation test on per-seed bests, ${test.permutations} permutations)`);
  }
  if (comparison.tests.length === 0 && comparison.strategies.length > 1) {
    lines.push('No significance test: it needs at least 2 seeds per strategy.');
  }
  return lines;
}
