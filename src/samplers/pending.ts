/**
 * How GP-EI treats trials still running (pending: neither value nor failure yet) when it proposes the next one,
 * so that K trials in flight are K different bets rather than K copies of the same one. The strategies compared
 * on bench/optimizers/parallel.ts (the figures, and why GP-EI keeps the one it does, are in gp-ei.ts):
 * - `ignore`: propose as if the pending trials did not exist (only their exact configurations are excluded).
 * - `believer` (Kriging believer): pretend each pending trial returned the posterior mean there.
 * - `liar-min` / `liar-mean` / `liar-max` (constant liar): pretend each returned the lowest / mean / highest
 *   value observed so far.
 * - `penalize` (local penalization, González et al. 2016): leave the model alone and multiply the acquisition
 *   by, for each pending point x_j, the probability that x lies outside the ball around x_j that cannot hold
 *   the optimum: with L a Lipschitz constant of the posterior mean, M the best posterior mean observed and
 *   f(x_j) ~ N(μ_j, σ_j²), φ_j(x) = P(f(x_j) < M + L‖x − x_j‖) = Φ((L‖x − x_j‖ + M − μ_j) / σ_j).
 * Fantasies (believer, liars) refactorize the posterior with the hyperparameters and output transform fitted
 * on the real trials (gp/fantasy.ts): a made-up value never moves the length scales or the noise level.
 */
import { meanGradient, withObservations } from '../gp/fantasy.ts';
import type { GaussianProcess } from '../gp/gaussian-process.ts';
import { scaledDistance } from '../gp/kernel.ts';
import { millsRatio, normalCdf, normalLogPdf, normalPdf } from '../gp/normal.ts';
import type { Rng } from '../random/rng.ts';

export const PENDING_STRATEGIES = ['ignore', 'believer', 'liar-min', 'liar-mean', 'liar-max', 'penalize'] as const;
export type PendingStrategy = (typeof PENDING_STRATEGIES)[number];

/** Whether the strategy adds fantasy observations to the model (rather than leaving it as fitted). */
export function fantasizes(strategy: PendingStrategy): boolean {
  return strategy === 'believer' || strategy.startsWith('liar-');
}

/**
 * The model conditioned on a fantasy value at each pending input, appended after the real observations (so
 * observation i of the real model is observation i of this one); the model itself for the other strategies.
 * The believer's values are the real model's posterior means: conditioning on a value equal to the current mean
 * leaves every other mean where it was, so believing the pending trials one by one or all at once is the same.
 * `peers[j]`: the indices of the real observations pending input j's lie is taken from (those in its context,
 * when contexts differ in scale as load levels do); absent or empty: all of them.
 */
export function fantasyModel(model: GaussianProcess, pending: readonly (readonly number[])[], strategy: PendingStrategy, peers?: readonly (readonly number[])[]): GaussianProcess {
  if (pending.length === 0 || !fantasizes(strategy)) return model;
  if (strategy === 'believer') return withObservations(model, pending, model.predictMean(pending));
  const lies = pending.map((_, j) => {
    const own = peers?.[j];
    return lie(own !== undefined && own.length > 0 ? own.map((i) => model.targets[i] as number) : model.targets, strategy);
  });
  return withObservations(model, pending, lies);
}

/** A liar's value, in the transformed scale: it is monotone, so the lowest value stays the lowest. */
function lie(targets: readonly number[], strategy: PendingStrategy): number {
  if (strategy === 'liar-min') return Math.min(...targets);
  if (strategy === 'liar-max') return Math.max(...targets);
  return targets.reduce((sum, t) => sum + t, 0) / targets.length;
}

/** log of the product of the local penalties at a point of the model's input space, and its gradient. */
export interface Penalty {
  log(point: readonly number[]): number;
  logWithGradient(point: readonly number[]): { value: number; gradient: number[] };
}

/** Random points of the input cube, besides the observed inputs, at which the mean's slope is probed for L. */
const LIPSCHITZ_PROBES = 256;
/** Keeps σ_j away from zero (latent variance, transformed scale). */
const SD_FLOOR = 1e-6;

/**
 * Local penalties around the pending inputs. Distances are in the kernel's length scales (x_d / ℓ_d), and L is
 * the largest slope of the posterior mean in those units over the observed inputs and random probes: a
 * coordinate the model finds irrelevant (long ℓ) then moves a proposal away from a pending point no more than
 * it moves the model's prediction.
 */
export function localPenalty(model: GaussianProcess, pending: readonly (readonly number[])[], rng: Rng): Penalty | undefined {
  if (pending.length === 0) return undefined;
  const scales = model.hyperparameters.lengthScales;
  const dimension = scales.length;
  const probes = [...model.inputs, ...Array.from({ length: LIPSCHITZ_PROBES }, () => Array.from({ length: dimension }, () => rng.next()))];
  const slope = Math.max(...probes.map((point) => Math.hypot(...meanGradient(model, point).map((g, d) => g * (scales[d] as number)))));
  const lipschitz = Math.max(slope, 1e-7);
  const latentMeans = model.targets.map((y, i) => y - (model.noise[i] as number) * (model.alpha[i] as number));
  const best = Math.min(...latentMeans);
  const { mean, variance } = model.predict(pending);
  const centres = pending.map((input, j) => ({ input, mean: mean[j] as number, sd: Math.sqrt(Math.max(SD_FLOOR ** 2, variance[j] as number)) }));
  const inverseSquaredScales = scales.map((l) => 1 / (l * l));
  return {
    log: (point) => centres.reduce((sum, c) => sum + logCdf((lipschitz * scaledDistance(point, c.input, scales) + best - c.mean) / c.sd), 0),
    logWithGradient(point) {
      let value = 0;
      const gradient = Array<number>(point.length).fill(0);
      for (const c of centres) {
        const distance = scaledDistance(point, c.input, scales);
        const z = (lipschitz * distance + best - c.mean) / c.sd;
        value += logCdf(z);
        if (distance === 0) continue;
        const factor = (logCdfSlope(z) * lipschitz) / (c.sd * distance);
        for (let k = 0; k < point.length; k++) gradient[k] = (gradient[k] as number) + factor * ((point[k] as number) - (c.input[k] as number)) * (inverseSquaredScales[k] as number);
      }
      return { value, gradient };
    },
  };
}

/** log Φ(z), through Mills' ratio in the lower tail (Φ underflows there). */
function logCdf(z: number): number {
  return z > -3 ? Math.log(normalCdf(z)) : normalLogPdf(z) + Math.log(millsRatio(-z));
}

/** d log Φ / dz = φ(z) / Φ(z). */
function logCdfSlope(z: number): number {
  return z > -3 ? normalPdf(z) / normalCdf(z) : 1 / millsRatio(-z);
}
