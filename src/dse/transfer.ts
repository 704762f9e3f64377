/**
 * The transfer penalty (pure): how much worse a target study does with a source study's best configuration
 * than with its own best. The transferred configuration's value on the target is measured when the target
 * ran it, in its own trials or in a transfer study (transfer-plan.ts); otherwise it is the target's GP
 * posterior mean there, and says so.
 */
import { bestTrial, measuredObjective, type StudyTrials } from '../report/study-trials.ts';
import type { Params } from '../space/params.ts';
import type { Objective, TrialRecord } from '../storage/storage.ts';
import { configurationKey, sharedParameterNames, valuesByConfiguration } from './rank-agreement.ts';

export interface Transfer {
  from: string; // source study
  to: string; // target study
  configuration: Params; // the source's best, on the parameters the studies share
  targetBest: number; // the target's own best value
  transferredValue: number; // the value of the source's best on the target
  source: 'measured' | 'posterior';
  /** transferred ÷ target best − 1, as a percentage (0: the source's best is as good on the target). */
  penaltyPercent: number;
}

/** Estimates values on the target at configurations it did not run (its GP posterior mean). */
export type Posterior = (configurations: readonly Params[]) => number[];

export function bestOf(entry: StudyTrials, metric: Objective): { params: Params; value: number } | undefined {
  const best = bestTrial({ study: { ...entry.study, objective: metric }, trials: entry.trials });
  const value = best && measuredObjective(best, metric);
  return best && value !== undefined ? { params: best.params, value } : undefined;
}

/** `transferTrials`: the target's model measured elsewhere at the source's best (a transfer study's trials). */
export function transferPenalty(source: StudyTrials, target: StudyTrials, metric: Objective, targetPosterior?: Posterior, transferTrials: readonly TrialRecord[] = []): Transfer | undefined {
  const [from, to] = [bestOf(source, metric), bestOf(target, metric)];
  if (from === undefined || to === undefined) return undefined;
  const names = sharedParameterNames(source, target);
  const onTarget = { study: target.study, trials: [...target.trials, ...transferTrials] };
  const measured = valuesByConfiguration(onTarget, names, metric).get(configurationKey(from.params, names));
  const estimated = measured ?? targetPosterior?.([from.params])[0];
  if (estimated === undefined || !Number.isFinite(estimated)) return undefined;
  return {
    from: source.study.id,
    to: target.study.id,
    configuration: Object.fromEntries(names.flatMap((name) => (from.params[name] === undefined ? [] : [[name, from.params[name]!]]))),
    targetBest: to.value,
    transferredValue: estimated,
    source: measured === undefined ? 'posterior' : 'measured',
    penaltyPercent: 100 * (estimated / to.value - 1),
  };
}
