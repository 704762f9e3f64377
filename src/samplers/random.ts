/** Random search: independent uniform draws (in each parameter's own scale), constraints enforced. */
import type { Rng } from '../random/rng.ts';
import { configurationKey, sampleFeasible, type SearchSpace } from '../space/space.ts';
import { anyFeasible } from './candidates.ts';
import { triedKeys, type Observation, type Sampler } from './sampler.ts';

/** Draws before giving up on finding an untried configuration (small discrete spaces run out). */
const FRESH_ATTEMPTS = 200;

export class RandomSampler implements Sampler {
  readonly name = 'random';

  suggest(space: SearchSpace, history: readonly Observation[], rng: Rng) {
    const tried = triedKeys(space, history);
    for (let i = 0; i < FRESH_ATTEMPTS; i++) {
      const params = sampleFeasible(space, rng);
      if (params !== undefined && !tried.has(configurationKey(space, params))) return params;
    }
    return anyFeasible(space, rng, tried);
  }
}
