/**
 * Bayesian optimisation: a Gaussian process on the completed trials, expected improvement (in log form)
 * times the probability that a configuration runs at all, maximised over feasible untried configurations.
 *
 * Initial design: the first `initialTrials` proposals (counting the baseline and any trials already in the
 * history) are greedy-maximin space-filling points. Default: min(8, budget / 4), at least 2, with budget 50
 * when not given: enough to fit length scales, few enough to leave most of a small budget to the model.
 */
import { logExpectedImprovement } from '../gp/acquisition.ts';
import { GaussianProcess } from '../gp/gaussian-process.ts';
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { encode, type SearchSpace } from '../space/space.ts';
import { maximizeAcquisition, encodeAll, type Acquisition, type SearchSettings } from './acquisition-search.ts';
import { anyFeasible } from './candidates.ts';
import { completed, triedKeys, type Observation, type Sampler } from './sampler.ts';
import { farthestCandidate } from './space-filling.ts';
import { fitSuccessModel } from './success-model.ts';

export interface GpEiOptions {
  /** The study's trial budget; sizes the default initial design. */
  budget?: number;
  /** Space-filling proposals before the model takes over. */
  initialTrials?: number;
}

/** How many of the best trials seed neighbours into the candidate pool. */
const SEED_TRIALS = 5;

export class GpEiSampler implements Sampler {
  readonly name = 'bo';
  readonly initialTrials: number;

  constructor(options: GpEiOptions = {}) {
    this.initialTrials = options.initialTrials ?? Math.max(2, Math.min(8, Math.floor((options.budget ?? 50) / 4)));
  }

  suggest(space: SearchSpace, history: readonly Observation[], rng: Rng): Params {
    const done = completed(history);
    if (history.length < this.initialTrials || done.length < 2) return farthestCandidate(space, history, rng);
    const model = GaussianProcess.fit(done.map((o) => encode(space, o.params)), done.map((o) => o.value));
    const incumbent = Math.min(...model.predict(done.map((o) => encode(space, o.params))).mean);
    const success = fitSuccessModel(space, history);
    const acquisition: Acquisition = (configurations) => {
      const points = encodeAll(space, configurations);
      const { mean, variance } = model.predict(points);
      const feasibility = success(points);
      return mean.map((m, i) => logExpectedImprovement(m, Math.sqrt(variance[i] as number), incumbent) + Math.log(feasibility[i] as number));
    };
    const seeds = [...done].sort((a, b) => a.value - b.value).slice(0, SEED_TRIALS).map((o) => o.params);
    const tried = triedKeys(space, history);
    const best = maximizeAcquisition(space, acquisition, seeds, tried, rng, searchSettings(done.length));
    return best?.params ?? anyFeasible(space, rng, tried);
  }
}

/**
 * Each prediction costs O(n²) in the number of trials, so the search shrinks as history grows to keep a
 * suggestion within about a second at 500 trials.
 */
function searchSettings(trials: number): SearchSettings {
  const candidates = Math.round(Math.min(1000, Math.max(200, 1000 * (120 / trials) ** 2)));
  return { candidates, climbs: trials > 200 ? 2 : 3, climbRounds: trials > 200 ? 6 : 40 };
}
