/**
 * What one study's fitted Gaussian process (the optimizer's own src/gp) tells the cross-model analysis:
 * posterior means at configurations the study never ran, and which parameters matter. Importance comes from
 * the ARD length scales: a short length scale means the objective changes quickly along that coordinate, so
 * importance ∝ 1/ℓ, normalised to sum to 1. A categorical parameter spans one coordinate per choice; it takes
 * its most sensitive one (the smallest ℓ), since switching choice moves along that coordinate.
 */
import type { StudyRecord, TrialRecord } from '../../domain/records.ts';
import { trialValue } from '../../domain/trials.ts';
import type { Objective } from '../../domain/vocabulary.ts';
import { GaussianProcess } from '../../gp/gaussian-process.ts';
import { kindOf } from '../../space/kinds/index.ts';
import type { Params } from '../../space/params.ts';
import { defaults, encode, type SearchSpace } from '../../space/space.ts';
import { isStoredSpace, spaceFromStored } from '../../study/study-space.ts';

/** A study's search space as stored (document plus pins), read back against a host context. */
export function storedSpaceReader(context: Readonly<Record<string, number>>): (study: StudyRecord) => SearchSpace | undefined {
  return (study) => {
    if (!isStoredSpace(study.space)) return undefined;
    const space = spaceFromStored(study.space, context);
    return space.ok ? space.value : undefined;
  };
}

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
    const value = trialValue(t, metric);
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

export interface Importance {
  parameter: string;
  importance: number; // 0..1, the parameters' importances sum to 1
  lengthScale: number;
}

export function importanceFromLengthScales(space: SearchSpace, lengthScales: readonly number[]): Importance[] {
  let offset = 0;
  const perParameter = space.parameters.map((p) => {
    const width = kindOf(p).width(p);
    const scales = lengthScales.slice(offset, offset + width);
    offset += width;
    if (scales.length !== width) throw new RangeError(`${lengthScales.length} length scales for a space of more coordinates`);
    return { parameter: p.name, lengthScale: Math.min(...scales) };
  });
  if (offset !== lengthScales.length) throw new RangeError(`${lengthScales.length} length scales for a space of ${offset} coordinates`);
  const total = perParameter.reduce((sum, p) => sum + 1 / p.lengthScale, 0);
  return perParameter
    .map((p) => ({ ...p, importance: 1 / p.lengthScale / total }))
    .sort((a, b) => b.importance - a.importance);
}
