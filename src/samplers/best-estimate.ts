/**
 * With noisy measurements the lowest observed value is biased low (the luckiest draw). The best estimate is
 * the completed trial whose GP posterior mean is lowest: the model averages each trial with its neighbours.
 */
import { GaussianProcess } from '../gp/gaussian-process.ts';
import type { Params } from '../space/params.ts';
import type { SearchSpace } from '../space/space.ts';
import { completed, modelInput, outcomeOf, sameContext, type ModelPoint, type Observation } from './sampler.ts';

export interface BestEstimate {
  /** Position of the trial in the history passed in. */
  index: number;
  params: Params;
  observedValue: number;
  /** The model's estimate of the trial's value, in the objective's units. */
  estimatedValue: number;
}

/**
 * With `context`, the model is fitted on every completed observation's configuration and context, so trials in
 * other contexts inform it, and the best is chosen among the observations made in `context`.
 */
export function bestEstimate(space: SearchSpace, history: readonly Observation[], context?: readonly number[]): BestEstimate | undefined {
  const indices = history.flatMap((o, i) => (outcomeOf(o) === 'complete' && (context === undefined || sameContext(o.context, context)) ? [i] : []));
  if (indices.length === 0) return undefined;
  const trials = indices.map((index) => ({ index, observation: history[index] as Observation & { value: number } }));
  const values = trials.map(({ observation }) => observation.value);
  const model = completed(history).length < 3 ? undefined : fitValueModel(space, history);
  const estimates = model ? model.estimate(trials.map(({ observation }) => observation)) : values;
  let best = 0;
  for (let i = 1; i < estimates.length; i++) if ((estimates[i] as number) < (estimates[best] as number)) best = i;
  const chosen = trials[best] as (typeof trials)[number];
  return { index: chosen.index, params: chosen.observation.params, observedValue: chosen.observation.value, estimatedValue: estimates[best] as number };
}

/** The GP posterior mean of the objective, in its units: what best estimates (and a sweep's crossovers) read. */
export interface ValueModel {
  estimate(points: readonly ModelPoint[]): number[];
}

/** Fitted on the completed observations; undefined when none completed. */
export function fitValueModel(space: SearchSpace, history: readonly Observation[]): ValueModel | undefined {
  const done = completed(history);
  if (done.length === 0) return undefined;
  const model = GaussianProcess.fit(done.map((o) => modelInput(space, o)), done.map((o) => o.value), { noise: done.map((o) => o.noiseVariance ?? 0) });
  return { estimate: (points) => model.predict(points.map((p) => modelInput(space, p))).mean.map((mean) => model.transform.inverse(mean)) };
}
