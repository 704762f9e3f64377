/**
 * A concurrency sweep: the plan (one study per load level and strategy), what it found (per level, each
 * strategy's best mean latency and configuration, and BO's gain over random search there: random's best ÷
 * BO's best, so 1.3× means BO's best is 30% faster), the table for the terminal and the plots. Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { StudyTrials } from '../domain/records.ts';
import { bestTrial, trialValue } from '../domain/trials.ts';
import type { Objective } from '../domain/vocabulary.ts';
import { chartSpec } from '../report/chart.ts';
import { formatParams, formatSpeedup, formatValue } from '../report/format.ts';
import { rttPlot, scalingPlot, type HistogramOf, type NamedPlot } from '../report/plots.ts';
import { groupBy } from '../report/study-trials.ts';
import { textTable } from '../report/table.ts';
import type { Params } from '../space/params.ts';
import { loadContext, loadRange } from '../study/load-context.ts';
import { modelSlug, sharedLevelName, studyName } from '../study/study-name.ts';

export interface SweepRequest {
  model: string;
  levels: readonly number[];
  strategies: readonly string[];
  seed: number;
  budget: number;
  objective: Objective;
  /** A strategy whose sampler can condition on the load shares one model across the levels; default: each level alone. */
  sharedModel?: boolean;
}

export interface PlannedStudy {
  concurrency: number;
  strategy: string;
  studyId: string;
  /** Set when the study shares its strategy's model across the levels: its level's context coordinates. */
  context?: number[];
}

/** Strategies whose sampler conditions on a context (GP-EI); the others ignore it, so their levels stay independent. */
export const SHARED_MODEL_STRATEGIES: readonly string[] = ['bo'];

/**
 * Levels ascending, then strategies in the order given; duplicates dropped. An independent study is named the
 * way a plain `tune` run names it (src/study/study-name.ts), so a re-run, or an earlier `tune`/`tune compare`
 * run with the same settings, is reused rather than measured again. With `sharedModel` and two levels or more, a
 * strategy that can shares one model across them: its studies are named after the sweep's levels too, since what
 * each proposed depended on its siblings, and carry their level's context.
 */
export function sweepPlan(request: SweepRequest): PlannedStudy[] {
  const levels = [...new Set(request.levels)].sort((a, b) => a - b);
  const strategies = [...new Set(request.strategies)];
  const shares = (strategy: string) => levels.length > 1 && request.sharedModel === true && SHARED_MODEL_STRATEGIES.includes(strategy);
  return levels.flatMap((concurrency) =>
    strategies.map((strategy) => {
      const identity = { model: request.model, strategy, concurrency, budget: request.budget, seed: request.seed, objective: request.objective };
      if (!shares(strategy)) return { concurrency, strategy, studyId: studyName(identity) };
      return { concurrency, strategy, studyId: sharedLevelName(identity, levels), context: loadContext(concurrency, loadRange(levels)) };
    }),
  );
}

export interface StrategyBest {
  strategy: string;
  meanMs?: number; // undefined when no trial completed
  params?: Params;
  trial?: number;
  studyId: string;
}

export interface LevelResult {
  concurrency: number;
  strategies: StrategyBest[];
  /** random best ÷ bo best; undefined unless both completed a trial. */
  gain?: number;
  best?: StrategyBest; // the lowest mean latency over every strategy at this level
}

export function strategyBest(entry: StudyTrials): StrategyBest {
  const found = { strategy: entry.study.strategy, studyId: entry.study.id };
  const best = bestTrial(entry.trials, 'mean');
  const meanMs = best && trialValue(best, 'mean');
  return best && meanMs !== undefined ? { ...found, meanMs, params: best.params, trial: best.number } : found;
}

/** BO's gain over random search: how many times lower BO's best mean latency is. */
export function gainOverRandom(strategies: readonly StrategyBest[], optimizer = 'bo', baseline = 'random'): number | undefined {
  const bo = strategies.find((s) => s.strategy === optimizer)?.meanMs;
  const random = strategies.find((s) => s.strategy === baseline)?.meanMs;
  return bo !== undefined && random !== undefined && bo > 0 ? random / bo : undefined;
}

/** One result per concurrency level, ascending. With several studies of one strategy at a level, the best wins. */
export function sweepResults(studies: readonly StudyTrials[]): LevelResult[] {
  const byLevel = [...groupBy(studies, (e) => String(e.study.concurrency))].sort(([a], [b]) => Number(a) - Number(b));
  return byLevel.map(([level, entries]) => {
    const strategies = [...groupBy(entries.map(strategyBest), (s) => s.strategy).values()].map(lowestOf);
    const result: LevelResult = { concurrency: Number(level), strategies };
    const gain = gainOverRandom(strategies);
    const best = lowestOf(strategies);
    return { ...result, ...(gain !== undefined && { gain }), ...(best.meanMs !== undefined && { best }) };
  });
}

function lowestOf(bests: readonly StrategyBest[]): StrategyBest {
  return bests.reduce((a, b) => (b.meanMs !== undefined && (a.meanMs === undefined || b.meanMs < a.meanMs) ? b : a));
}

/** One row per concurrency level: each strategy's best, the gain and the best configuration. */
export function sweepTableLines(results: readonly LevelResult[]): string[] {
  const strategies = [...new Set(results.flatMap((r) => r.strategies.map((s) => s.strategy)))];
  const header = ['concurrency', ...strategies.map((s) => `${s} best mean ms`), 'gain (random/bo)', 'best configuration'];
  const rows = results.map((result) => [
    String(result.concurrency),
    ...strategies.map((strategy) => formatValue(result.strategies.find((s) => s.strategy === strategy)?.meanMs)),
    formatSpeedup(result.gain),
    result.best ? `${result.best.strategy} #${result.best.trial}: ${formatParams(result.best.params)}` : 'no trial completed',
  ]);
  return textTable(header, rows);
}

export interface GainPoint {
  concurrency: number;
  gain: number;
}

export function gainPoints(results: readonly LevelResult[]): GainPoint[] {
  return results.flatMap((r) => (r.gain === undefined ? [] : [{ concurrency: r.concurrency, gain: r.gain }]));
}

/** BO's gain per level as bars (levels as categories: a bar per level run), with a rule at 1×. */
export function gainSpec(points: readonly GainPoint[], title: string): TopLevelSpec {
  return chartSpec(title, points, {
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'concurrency', type: 'ordinal', title: 'Client concurrency' },
          y: { field: 'gain', type: 'quantitative', title: 'Random best ÷ BO best (× faster)' },
        },
      },
      // 1× marks "no gain": above it BO found the faster configuration.
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: '#6b7280', strokeDash: [4, 4] }, encoding: { y: { field: 'one', type: 'quantitative' } } },
    ],
  });
}

/**
 * Best mean latency per level (the report's concurrency scaling), the gain per level, and the round-trip-time
 * distribution of the best configuration per level from the stored histograms (the report's RTT plot).
 */
export function sweepPlots(model: string, studies: readonly StudyTrials[], results: readonly LevelResult[], histogramOf: HistogramOf): NamedPlot[] {
  const slug = modelSlug(model);
  const gains = gainPoints(results);
  const gainTitle = `BO's gain over random search per concurrency: ${model}`;
  return [
    scalingPlot(`${slug}-sweep-latency`, model, studies),
    ...(gains.length > 0 ? [{ name: `${slug}-sweep-gain`, title: gainTitle, spec: gainSpec(gains, gainTitle) }] : []),
    ...rttPlot(`${slug}-sweep-rtt`, model, studies, histogramOf),
  ];
}
