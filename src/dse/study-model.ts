/**
 * A Gaussian process fitted to one study's complete trials (the optimizer's own src/gp), for what the
 * cross-model analysis needs from it: posterior means at configurations the study never ran, and the
 * fitted length scales per cube coordinate.
 */
import { GaussianProcess } from '../gp/gaussian-process.ts';
import { measuredObjective } from '../report/study-trials.ts';
import type { Params } from '../space/params.ts';
import { defaults, encode, type SearchSpace } from '../space/space.ts';
import type { Objective, TrialRecord } from '../storage/storage.ts';

export interface StudyModel {
  space: SearchSpace;
  lengthScales: readonly number[];
  /** Posterior means in the metric's units; parameters the study's space lacks take its defaults. */
  predict(configurations: readonly Params[]): number[];
}

/** Below this many complete trials a fitted model says little beyond its prior. */
export const MIN_TRIALS_FOR_MODEL = 3;

export function fitStudyModel(space: SearchSpace, trials: readonly TrialRecord[], metric: Objective): StudyModel | undefined {
  const measured = trials.flatMap((t) => {
    const value = measuredObjective(t, metric);
    return value === undefined ? [] : [{ point: encode(space, inSpace(space, t.params)), value }];
  });
  if (measured.length < MIN_TRIALS_FOR_MODEL || space.parameters.length === 0) return undefined;
  const gp = GaussianProcess.fit(measured.map((m) => m.point), measured.map((m) => m.value));
  return {
    space,
    lengthScales: gp.hyperparameters.lengthScales,
    predict: (configurations) => gp.predict(configurations.map((c) => encode(space, inSpace(space, c)))).mean.map((mean) => gp.transform.inverse(mean)),
  };
}

/** A configuration restricted to the space's parameters, with its defaults for any the configuration lacks. */
export function inSpace(space: SearchSpace, params: Params): Params {
  const base = defaults(space);
  return Object.fromEntries(space.parameters.map((p) => [p.name, params[p.name] ?? base[p.name]!]));
}
