/**
 * Do two studies rank configurations alike? Spearman's rank correlation (simple-statistics, midranks for
 * ties) of the measured values of configurations both studies ran (pure). Configurations are matched on the
 * parameters the studies share (see sharedParameterNames); a configuration run several times counts with its mean.
 */
import { mean, sampleRankCorrelation } from 'simple-statistics';
import { trialValue } from '../../domain/trials.ts';
import type { StudyTrials } from '../../domain/records.ts';
import type { Params } from '../../space/params.ts';
import type { Objective } from '../../domain/vocabulary.ts';
import { isStoredSpace } from '../../study/study-space.ts';

export interface RankAgreement {
  configurations: number; // evaluated in both
  /** Undefined below 3 shared configurations or when one side's values are all equal. */
  spearman?: number;
}

/**
 * Parameters both studies' configurations carry, less those pinned to different values in the two studies'
 * stored spaces (e.g. precision fp32 in one and int8 in the other): those tell the studies apart.
 */
export function sharedParameterNames(a: StudyTrials, b: StudyTrials): string[] {
  const [pinsA, pinsB] = [pinsOf(a), pinsOf(b)];
  const inB = new Set(b.trials.flatMap((t) => Object.keys(t.params)));
  const inA = new Set(a.trials.flatMap((t) => Object.keys(t.params)));
  return [...inA].filter((name) => inB.has(name) && !(name in pinsA && name in pinsB && pinsA[name] !== pinsB[name])).sort();
}

function pinsOf(entry: StudyTrials): Params {
  return isStoredSpace(entry.study.space) ? entry.study.space.pinned : {};
}

export function configurationKey(params: Params, names: readonly string[]): string {
  return JSON.stringify(names.map((n) => params[n] ?? null));
}

/** Mean measured value per configuration key. */
export function valuesByConfiguration(entry: StudyTrials, names: readonly string[], metric: Objective): Map<string, number> {
  const all = new Map<string, number[]>();
  for (const trial of entry.trials) {
    const value = trialValue(trial, metric);
    if (value === undefined) continue;
    const key = configurationKey(trial.params, names);
    all.set(key, [...(all.get(key) ?? []), value]);
  }
  return new Map([...all].map(([key, values]) => [key, mean(values)]));
}

export function rankAgreement(a: StudyTrials, b: StudyTrials, metric: Objective): RankAgreement {
  const names = sharedParameterNames(a, b);
  const [va, vb] = [valuesByConfiguration(a, names, metric), valuesByConfiguration(b, names, metric)];
  const shared = [...va.keys()].filter((key) => vb.has(key));
  const agreement: RankAgreement = { configurations: shared.length };
  if (shared.length < 3) return agreement;
  const rho = sampleRankCorrelation(shared.map((k) => va.get(k)!), shared.map((k) => vb.get(k)!));
  return Number.isFinite(rho) ? { ...agreement, spearman: rho } : agreement;
}
