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
  return rankByEstimate(space, history, context)[0];
}

/**
 * The completed observations (those made in `context`, when given) by the model's estimate of their value, lowest
 * first, ties to the earlier: the model is fitted once three have completed, before that their measured values rank.
 */
export function rankByEstimate(space: SearchSpace, history: readonly Observation[], context?: readonly number[]): BestEstimate[] {
  const indices = history.flatMap((o, i) => (outcomeOf(o) === 'complete' && (context === undefined || sameContext(o.context, context)) ? [i] : []));
  if (indices.length === 0) return [];
  const trials = indices.map((index) => ({ index, observation: history[index] as Observation & { value: number } }));
  const model = completed(history).length < 3 ? undefined : fitValueModel(space, history);
  const estimates = model ? model.estimate(trials.map(({ observation }) => observation)) : trials.map(({ observation }) => observation.value);
  return trials
    .map(({ index, observation }, i) => ({ index, params: observation.params, observedValue: observation.value, estimatedValue: estimates[i] as number }))
    .sort((a, b) => a.estimatedValue - b.estimatedValue || a.index - b.index);
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
