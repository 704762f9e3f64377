/**
 * ParEGO (Knowles 2006): multi-objective Bayesian optimisation by random scalarization. For each proposal it
 * draws a weight vector uniformly on the simplex, scales every objective to [0, 1] over the completed trials,
 * folds each trial's objective values into one augmented Chebyshev value max_i(w_i f_i) + 0.05 Σ_i w_i f_i, and
 * asks a single-objective sampler (GP-EI) for the configuration that best improves that value. Successive
 * proposals pull towards different parts of the front; the max term (unlike a weighted sum) also reaches its
 * concave stretches, the small sum term breaks ties among weakly dominated points.
 *
 * Failures, running trials and contexts pass through as they are, so GP-EI's success model still learns where
 * configurations fail (a missed SLO included): the constraint holds for the front as for a single objective.
 */
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import type { SearchSpace } from '../space/space.ts';
import { outcomeOf, type Observation, type Sampler } from './sampler.ts';
import { SamplerError } from './sampler-error.ts';

/** Weight of the sum term (Knowles's ρ). */
export const AUGMENTATION = 0.05;

export class ParEgoSampler implements Sampler {
  readonly name: string;

  /** `single`: the sampler each scalarized history goes to; `objectives`: how many values each trial has. */
  constructor(
    private readonly single: Sampler,
    readonly objectives: number,
  ) {
    if (!Number.isInteger(objectives) || objectives < 2) throw new RangeError(`ParEGO needs at least 2 objectives, got ${objectives}`);
    this.name = single.name;
  }

  suggest(space: SearchSpace, history: readonly Observation[], rng: Rng, context?: readonly number[]): Params {
    const weights = simplexWeights(this.objectives, rng.fork('parego-weights'));
    return this.single.suggest(space, scalarizedHistory(history, weights), rng.fork('single-objective'), context);
  }
}

/** Uniform on the simplex: normalized independent exponential draws. */
export function simplexWeights(dimensions: number, rng: Rng): number[] {
  const draws = Array.from({ length: dimensions }, () => -Math.log(1 - rng.next()));
  const total = draws.reduce((sum, d) => sum + d, 0);
  return draws.map((d) => d / total);
}

/** The augmented Chebyshev scalarization of values already scaled to [0, 1]. */
export function chebyshev(weights: readonly number[], scaled: readonly number[]): number {
  const terms = weights.map((w, i) => w * (scaled[i] as number));
  return Math.max(...terms) + AUGMENTATION * terms.reduce((sum, t) => sum + t, 0);
}

/**
 * The history with each completed observation's `value` replaced by its scalarization under `weights`; every
 * completed observation must carry one value per weight. Its measurement noise belongs to a single objective,
 * not to the scalarization, so it is dropped.
 */
export function scalarizedHistory(history: readonly Observation[], weights: readonly number[]): Observation[] {
  const done = history.filter((o) => outcomeOf(o) === 'complete');
  const vectors = done.map((o) => valuesOf(o, weights.length));
  const scales = weights.map((_, k) => unitScale(vectors.map((v) => v[k] as number)));
  const scalarized = new Map(done.map((o, i) => [o, chebyshev(weights, vectors[i]!.map((v, k) => scales[k]!(v)))]));
  return history.map((o) => {
    const value = scalarized.get(o);
    if (value === undefined) return o;
    const { noiseVariance: _noise, values: _values, ...rest } = o;
    return { ...rest, value };
  });
}

function valuesOf(observation: Observation, objectives: number): readonly number[] {
  const values = observation.values;
  if (values === undefined || values.length !== objectives || !values.every(Number.isFinite)) {
    throw new SamplerError(
      'missing_objective_values',
      `a completed trial has ${values === undefined ? 'no' : values.length} objective values where ${objectives} are minimised: give the Study the objectives list`,
    );
  }
  return values;
}

/**
 * Min–max onto [0, 1], after a log when every value is positive: latencies and costs span orders of magnitude,
 * and on a linear scale the worst trials would squeeze all the good ones into a sliver the weights cannot split.
 */
function unitScale(values: readonly number[]): (value: number) => number {
  const transform = values.every((v) => v > 0) ? Math.log : (v: number) => v;
  const transformed = values.map(transform);
  const [low, high] = [Math.min(...transformed), Math.max(...transformed)];
  return (value) => (high > low ? (transform(value) - low) / (high - low) : 0);
}
