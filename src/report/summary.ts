/** Per-study summary for the report: baseline (trial 0, the defaults) against the best trial found (pure). */
import type { Params } from '../space/params.ts';
import type { TrialState } from '../storage/storage.ts';
import { bestTrial, measuredObjective, type StudyTrials } from './study-trials.ts';

export interface StudySummary {
  id: string;
  model: string;
  concurrency: number;
  strategy: string;
  seed: number;
  objective: string;
  counts: Record<TrialState, number>;
  baselineValue?: number;
  bestValue?: number;
  bestNumber?: number;
  bestParams?: Params;
  baselineParams?: Params;
  /** baseline ÷ best: how many times better the best configuration is on the objective. */
  speedup?: number;
}

export function summarizeStudy(entry: StudyTrials): StudySummary {
  const { study, trials } = entry;
  const counts: Record<TrialState, number> = { running: 0, complete: 0, failed: 0, interrupted: 0 };
  for (const trial of trials) counts[trial.state] += 1;
  const baseline = trials.find((t) => t.number === 0);
  const best = bestTrial(entry);
  const baselineValue = baseline && measuredObjective(baseline, study.objective);
  const bestValue = best && measuredObjective(best, study.objective);
  const summary: StudySummary = {
    id: study.id,
    model: study.model,
    concurrency: study.concurrency,
    strategy: study.strategy,
    seed: study.seed,
    objective: study.objective,
    counts,
  };
  if (baseline) summary.baselineParams = baseline.params;
  if (baselineValue !== undefined) summary.baselineValue = baselineValue;
  if (best && bestValue !== undefined) Object.assign(summary, { bestValue, bestNumber: best.number, bestParams: best.params });
  if (baselineValue !== undefined && bestValue !== undefined && bestValue > 0) summary.speedup = baselineValue / bestValue;
  return summary;
}
