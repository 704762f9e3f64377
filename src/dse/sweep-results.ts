/**
 * What a concurrency sweep found (pure): per level, the best mean latency and configuration of each strategy,
 * and BO's gain over random search there (random's best ÷ BO's best: 1.3× means BO's best is 30% faster).
 */
import type { Params } from '../space/params.ts';
import { groupBy, measuredObjective, type StudyTrials } from '../report/study-trials.ts';

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
  let best: StrategyBest = { strategy: entry.study.strategy, studyId: entry.study.id };
  for (const trial of entry.trials) {
    const meanMs = measuredObjective(trial, 'mean');
    if (meanMs !== undefined && (best.meanMs === undefined || meanMs < best.meanMs)) {
      best = { ...best, meanMs, params: trial.params, trial: trial.number };
    }
  }
  return best;
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
