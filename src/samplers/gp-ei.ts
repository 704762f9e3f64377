/**
 * Bayesian optimisation: a Gaussian process on the completed trials, expected improvement (in log form)
 * times the probability that a configuration runs at all, maximised over feasible untried configurations.
 *
 * Initial design: the first `initialTrials` proposals (counting the baseline and any trials already in the
 * history) are the points of a Latin hypercube drawn from the seed. Default: budget / 10 rounded up, kept
 * within 4..8 (budget 50 when not given, so 5): the length-scale prior makes a small design enough, and on the
 * benchmarks (bench/optimizers) a larger one only delayed the model. (Greedy maximin designs were tried first;
 * they crowd the boundary, where optima rarely are.)
 * Should every trial so far have failed, proposals stay space-filling (farthest from everything tried).
 */
import { logExpectedImprovement } from '../gp/acquisition.ts';
import { GaussianProcess } from '../gp/gaussian-process.ts';
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import type { SearchSpace } from '../space/space.ts';
import { encodeAll, maximizeAcquisition, type Acquisition, type SearchSettings } from './acquisition-search.ts';
import { anyFeasible } from './candidates.ts';
import { LhsSampler } from './lhs.ts';
import { completed, triedKeys, type Observation, type Sampler } from './sampler.ts';
import { farthestCandidate } from './space-filling.ts';
import { fitSuccessModel } from './success-model.ts';

export interface GpEiOptions {
  /** The study's trial budget; sizes the default initial design. */
  budget?: number;
  /** Space-filling proposals before the model takes over. */
  initialTrials?: number;
  /** Fixes the initial design. */
  seed?: number;
}

/** How many of the best trials seed neighbours into the candidate pool. */
const SEED_TRIALS = 5;

export class GpEiSampler implements Sampler {
  readonly name = 'bo';
  readonly initialTrials: number;
  private readonly design: LhsSampler;

  constructor(options: GpEiOptions = {}) {
    this.initialTrials = options.initialTrials ?? Math.max(4, Math.min(8, Math.ceil((options.budget ?? 50) / 10)));
    this.design = new LhsSampler({ size: this.initialTrials, seed: options.seed });
  }

  suggest(space: SearchSpace, history: readonly Observation[], rng: Rng): Params {
    const done = completed(history);
    if (history.length < this.initialTrials) return this.design.suggest(space, history, rng);
    if (done.length < 2) return farthestCandidate(space, history, rng);
    const measuredPoints = encodeAll(space, done.map((o) => o.params));
    const model = GaussianProcess.fit(measuredPoints, done.map((o) => o.value));
    // The lowest posterior mean rather than the lowest measurement: under noise the luckiest draw sets the bar too low.
    const incumbent = Math.min(...model.predict(measuredPoints).mean);
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
  return { candidates, perturbations: trials > 200 ? 40 : 100, climbs: trials > 200 ? 2 : 3, climbRounds: trials > 200 ? 6 : 20 };
}
