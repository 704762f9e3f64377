/**
 * A replayed study: a surrogate of its objective that answers any configuration of its space, fitted to what the
 * study measured, so optimizers can be compared on real serving landscapes without Docker.
 *
 * Value: the project's GP (Matérn-5/2 ARD, hyperparameters fitted as the samplers fit them) on the complete
 * trials' log values, each with its measured noise: a mean-latency value's batch-means interval gives its
 * variance (ci95 / 1.96)², carried to log units by the delta method (÷ value²); other objectives carry no interval
 * and the GP learns their noise. The truth at a configuration is exp(posterior mean): the GP's estimate of the
 * median value there.
 *
 * Noise: a replayed measurement is the truth times a lognormal draw exp(σ·z), z standard normal, with σ² the
 * noise every real trial carried in the fit: the GP's learned noise level (what differed between deployments of
 * nearby configurations beyond their intervals, usually the larger part) plus the median within-window variance.
 * So replayed measurements are about as noisy as the study's were, and a sampler that trusts one window is
 * misled as often as on the real system.
 *
 * Failures: where the nearest measured trial failed (failure-rule.ts), with its failure kind.
 *
 * Optimum: estimated (estimated-optimum.ts), from a random stream named by the study, so a file always gives the
 * same surrogate and the same optimum.
 */
import { median } from 'simple-statistics';
import { GaussianProcess } from '../gp/gaussian-process.ts';
import { createRng, type Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { encode, type SearchSpace } from '../space/space.ts';
import { DEFAULT_OPTIMUM_SEARCH, estimateOptimum, type Optimum, type OptimumSearch } from './estimated-optimum.ts';
import { FailureRule } from './failure-rule.ts';
import type { CompleteReplayTrial, ReplayFile } from './replay-file.ts';

export interface Surrogate {
  /** The surrogate's value; undefined where the configuration fails. */
  truth(params: Params): number | undefined;
  /** One replayed measurement: the truth with the study's noise, or the failure. */
  measure(params: Params, rng: Rng): number | { failed: string };
  /** σ: the standard deviation of a replayed measurement's log. */
  readonly logNoiseSd: number;
  /** The lowest truth found in the space: an estimate. */
  readonly optimum: Optimum;
}

/** `space`: the study's own (replay-space.ts); `search`: how hard to look for the optimum. */
export function fitSurrogate(replay: ReplayFile, space: SearchSpace, search: OptimumSearch = DEFAULT_OPTIMUM_SEARCH): Surrogate {
  const complete = replay.trials.filter((trial): trial is CompleteReplayTrial => trial.state === 'complete');
  if (complete.length === 0) throw new RangeError(`replay of "${replay.study.id}" has no complete trial to fit`);
  const knownNoise = complete.map((trial) => logVariance(trial, replay.study.objective === 'mean'));
  const gp = GaussianProcess.fit(
    complete.map((trial) => encode(space, trial.params)),
    complete.map((trial) => Math.log(trial.value)),
    { noise: knownNoise, outputTransform: 'standardize' },
  );
  const scale = gp.transform.inverse(1) - gp.transform.inverse(0); // the standardizer is affine
  const logNoiseSd = Math.sqrt(gp.hyperparameters.noiseVariance * scale * scale + median(knownNoise));
  const failures = new FailureRule(space, replay.trials);

  const valueAt = (params: Params): number => {
    const [mean] = gp.predictMean([encode(space, params)]) as [number];
    return Math.exp(gp.transform.inverse(mean));
  };
  const truth = (params: Params): number | undefined => (failures.failureAt(params) === undefined ? valueAt(params) : undefined);
  const optimum = estimateOptimum(space, truth, complete.map((trial) => trial.params), createRng(`replay-optimum:${replay.study.id}`), search);
  // A measured complete point answers its own value, so the search always finds one.
  if (optimum === undefined) throw new RangeError(`replay of "${replay.study.id}": the surrogate fails everywhere`);

  return {
    truth,
    measure(params, rng) {
      const failed = failures.failureAt(params);
      return failed === undefined ? valueAt(params) * Math.exp(logNoiseSd * rng.normal()) : { failed };
    },
    logNoiseSd,
    optimum,
  };
}

/**
 * A trial's known noise in log units: only a mean-latency value has a measured interval (as
 * measurementVariance in src/domain/trials.ts reads it); Var[log X] ≈ Var[X] / X².
 */
function logVariance(trial: CompleteReplayTrial, meanObjective: boolean): number {
  const ci = trial.measured?.meanCi95Ms ?? 0;
  return meanObjective && ci > 0 ? (ci / 1.96 / trial.value) ** 2 : 0;
}
