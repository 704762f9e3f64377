/**
 * GP hyperparameters in log space, θ = [log ℓ_1..d, log s², log σ²_noise], and the priors that keep them sane
 * with little data. Length scales: log-normal centred at 0.5·√d, growing with dimension as Hvarfner et al.
 * (2024, "Vanilla Bayesian optimization performs great in high dimensions") propose, but centred shorter than
 * their e^√2·√d: with budgets of tens of trials their centre made the model too smooth on bench/optimizers.
 * Weak priors on signal and noise variance.
 */
import type { KernelParams } from './kernel.ts';

/** Smallest noise variance (on the standardized scale): keeps the Cholesky stable on noiseless data. */
export const NOISE_FLOOR = 1e-6;
const SIGNAL_PRIOR = { mean: 0, sd: 1 };
const NOISE_PRIOR = { mean: Math.log(1e-3), sd: 2.5 };

export interface Hyperparameters extends KernelParams {
  noiseVariance: number;
}

export function lengthScalePrior(dimension: number): { mean: number; sd: number } {
  return { mean: Math.log(0.5) + 0.5 * Math.log(dimension), sd: 1 };
}

export function fromTheta(theta: readonly number[]): Hyperparameters {
  const d = theta.length - 2;
  return {
    lengthScales: theta.slice(0, d).map(Math.exp),
    signalVariance: Math.exp(theta[d] as number),
    noiseVariance: NOISE_FLOOR + Math.exp(theta[d + 1] as number),
  };
}

/** −log prior density (up to a constant) and its gradient, in θ coordinates. */
export function negativeLogPrior(theta: readonly number[]): { value: number; gradient: number[] } {
  const d = theta.length - 2;
  const lengthScale = lengthScalePrior(d);
  const priors = [...Array<{ mean: number; sd: number }>(d).fill(lengthScale), SIGNAL_PRIOR, NOISE_PRIOR];
  let value = 0;
  const gradient = theta.map((t, i) => {
    const { mean, sd } = priors[i] as { mean: number; sd: number };
    value += (0.5 * (t - mean) ** 2) / (sd * sd);
    return (t - mean) / (sd * sd);
  });
  return { value, gradient };
}

/** Starting points for the multi-start fit: the prior's centre plus shorter length scales. */
export function startingThetas(dimension: number): number[][] {
  const centre = lengthScalePrior(dimension).mean;
  return [centre, Math.log(0.5 * Math.sqrt(dimension)), Math.log(0.2)].map((logLength) => [
    ...Array<number>(dimension).fill(logLength),
    0,
    Math.log(1e-3),
  ]);
}
