/**
 * A concurrency sweep as a list of studies: one per load level and strategy, named the way a plain `tune`
 * run names them (src/study/study-name.ts), so a re-run, or an earlier `tune`/`tune compare` run with the
 * same settings, is reused rather than measured again.
 */
import type { Objective } from '../storage/storage.ts';
import { studyName } from '../study/study-name.ts';

export interface SweepRequest {
  model: string;
  levels: readonly number[];
  strategies: readonly string[];
  seed: number;
  budget: number;
  objective: Objective;
}

export interface PlannedStudy {
  concurrency: number;
  strategy: string;
  studyId: string;
}

/** Levels ascending, then strategies in the order given; duplicates dropped. */
export function sweepPlan(request: SweepRequest): PlannedStudy[] {
  const levels = [...new Set(request.levels)].sort((a, b) => a - b);
  const strategies = [...new Set(request.strategies)];
  return levels.flatMap((concurrency) =>
    strategies.map((strategy) => ({
      concurrency,
      strategy,
      studyId: studyName({ model: request.model, strategy, concurrency, budget: request.budget, seed: request.seed, objective: request.objective }),
    })),
  );
}
