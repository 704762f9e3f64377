/**
 * With noisy measurements the lowest observed value is biased low (the luckiest draw). The best estimate is
 * the completed trial whose GP posterior mean is lowest: the model averages each trial with its neighbours.
 */
import { GaussianProcess } from '../gp/gaussian-process.ts';
import type { Params } from '../space/params.ts';
import { encode, type SearchSpace } from '../space/space.ts';
import { outcomeOf, type Observation } from './sampler.ts';

export interface BestEstimate {
  /** Position of the trial in the history passed in. */
  index: number;
  params: Params;
  observedValue: number;
  /** The model's estimate of the trial's value, in the objective's units. */
  estimatedValue: number;
}

export function bestEstimate(space: SearchSpace, history: readonly Observation[]): BestEstimate | undefined {
  const indices = history.flatMap((o, i) => (outcomeOf(o) === 'complete' ? [i] : []));
  if (indices.length === 0) return undefined;
  const trials = indices.map((index) => ({ index, observation: history[index] as Observation & { value: number } }));
  const points = trials.map(({ observation }) => encode(space, observation.params));
  const values = trials.map(({ observation }) => observation.value);
  const estimates = indices.length < 3 ? values : predictedValues(points, values);
  let best = 0;
  for (let i = 1; i < estimates.length; i++) if ((estimates[i] as number) < (estimates[best] as number)) best = i;
  const chosen = trials[best] as (typeof trials)[number];
  return { index: chosen.index, params: chosen.observation.params, observedValue: chosen.observation.value, estimatedValue: estimates[best] as number };
}

function predictedValues(points: number[][], values: number[]): number[] {
  const model = GaussianProcess.fit(points, values);
  return model.predict(points).mean.map((mean) => model.transform.inverse(mean));
}
