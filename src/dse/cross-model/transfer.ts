/**
 * Transferring one study's best configuration to another study's model (pure). The penalty: how much worse
 * the target does with the source's best than with its own best; the value there is measured when the target
 * ran that configuration, in its own trials or in a transfer study, and otherwise is the target's GP posterior
 * mean, and says so. The transfer studies: for every ordered pair of studies on different models, a one-trial
 * study like the target (model, concurrency, windows, objective, space) with the source's best pinned on the
 * parameters both search, so that the penalty rests on a measurement. Its baseline is that configuration.
 */
import type { StudyRecord, StudyTrials, TrialRecord } from '../../domain/records.ts';
import { bestTrial, trialValue } from '../../domain/trials.ts';
import type { Objective } from '../../domain/vocabulary.ts';
import type { Params } from '../../space/params.ts';
import { isStoredSpace } from '../../study/study-space.ts';
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
  const best = bestTrial(entry.trials, metric);
  const value = best && trialValue(best, metric);
  return best && value !== undefined ? { params: best.params, value } : undefined;
}

/** The source's best on the parameters both studies search. */
function sharedPart(best: Params, source: StudyTrials, target: StudyTrials): Params {
  return Object.fromEntries(sharedParameterNames(source, target).flatMap((name) => (best[name] === undefined ? [] : [[name, best[name]!]])));
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
    configuration: sharedPart(from.params, source, target),
    targetBest: to.value,
    transferredValue: estimated,
    source: measured === undefined ? 'posterior' : 'measured',
    penaltyPercent: 100 * (estimated / to.value - 1),
  };
}

export interface PlannedTransfer {
  source: string;
  target: string;
  /** The transfer study to create (createdAt left to the caller), or why there is none. */
  study?: StudyRecord;
  note?: string;
}

export function transferStudyId(source: string, target: string): string {
  return `${target}-with-best-of-${source}`;
}

export function plannedTransfers(studies: readonly StudyTrials[], metric: Objective): PlannedTransfer[] {
  return studies.flatMap((source) =>
    studies.filter((target) => target.study.model !== source.study.model).map((target) => plannedTransfer(source, target, metric)),
  );
}

function plannedTransfer(source: StudyTrials, target: StudyTrials, metric: Objective): PlannedTransfer {
  const ids = { source: source.study.id, target: target.study.id };
  const best = bestOf(source, metric);
  if (best === undefined) return { ...ids, note: `${ids.source} has no complete trial to transfer` };
  const stored = target.study.space;
  if (!isStoredSpace(stored)) return { ...ids, note: `${ids.target} has no search space this version can read` };
  const study: StudyRecord = {
    ...target.study,
    id: transferStudyId(ids.source, ids.target),
    budget: 1,
    space: { ...stored, pinned: { ...stored.pinned, ...sharedPart(best.params, source, target) } },
  };
  return { ...ids, study };
}
