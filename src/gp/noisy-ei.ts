/**
 * Noisy expected improvement in log form. Under noise the best observed value is not known, only its
 * posterior, so instead of plugging in the lowest posterior mean, EI is averaged over joint draws of the latent
 * values at the best observed points (the baseline) and at the candidate — as qLogNEI does (Ament et al., 2023).
 * The draws at the baseline are fixed per proposal (base samples z_s); given them, the candidate's value is
 * normal, so each draw's EI is analytic (as in Letham et al., 2019) and the average stays smooth in the point:
 *   f_b = μ_b + L z_s,  f(x) | z_s ~ N(μ(x) + lᵀ z_s, σ²(x) − lᵀl),  l = L⁻¹ Σ(X_b, x),  best_s = min f_b.
 * With diagonal noise N, the latent posterior needs nothing beyond (K + N)⁻¹: Σ(X_b, x) = N_b (K + N)⁻¹_b k(X, x),
 * Σ_bb = N_b − N_b (K + N)⁻¹_bb N_b and μ_b = y_b − N_b α_b. In the noiseless limit every draw equals the
 * observed values and this is EI at the best observation.
 */
import type { GaussianProcess } from './gaussian-process.ts';
import { logExpectedImprovement, logExpectedImprovementWithGradient } from './acquisition.ts';
import type { Rng } from '../random/rng.ts';

export interface NoisyEiOptions {
  /** Joint draws of the baseline. */
  samples?: number;
  /** The observed points with the lowest posterior means that may be the best (qLogNEI prunes likewise). */
  baselineSize?: number;
  /** Indices of the observations the incumbent is among (default: all), e.g. those in the proposal's context. */
  baseline?: readonly number[];
}

const DEFAULTS = { samples: 64, baselineSize: 16 };
const VARIANCE_FLOOR = 1e-12;

export class NoisyExpectedImprovement {
  private readonly baseline: number[];
  private readonly baselineNoise: number[];
  private readonly lower: number[][];
  private readonly draws: number[][];
  private readonly bests: number[];

  constructor(
    private readonly model: GaussianProcess,
    rng: Rng,
    options: NoisyEiOptions = {},
  ) {
    const settings = { ...DEFAULTS, ...options };
    const latentMeans = model.targets.map((y, i) => y - (model.noise[i] as number) * (model.alpha[i] as number));
    this.baseline = [...(options.baseline ?? latentMeans.map((_, i) => i))].sort((a, b) => (latentMeans[a] as number) - (latentMeans[b] as number)).slice(0, settings.baselineSize);
    this.baselineNoise = this.baseline.map((i) => model.noise[i] as number);
    const covariance = this.baseline.map((i, r) =>
      this.baseline.map((j, c) => (r === c ? (this.baselineNoise[r] as number) : 0) - (this.baselineNoise[r] as number) * ((model.inverse[i] as Float64Array)[j] as number) * (this.baselineNoise[c] as number)),
    );
    this.lower = choleskyWithJitter(covariance, model.hyperparameters.signalVariance);
    this.draws = Array.from({ length: settings.samples }, () => this.baseline.map(() => rng.normal()));
    this.bests = this.draws.map((z) => Math.min(...this.baseline.map((i, r) => (latentMeans[i] as number) + dotPrefix(this.lower[r] as number[], z, r + 1))));
  }

  /** log NEI at a point of the model's input space. */
  logValue(point: readonly number[]): number {
    const p = this.model.predictWithWeights(point);
    const { l, sd } = this.conditional(p.weights, p.variance);
    return logMeanExp(this.draws.map((z, s) => logExpectedImprovement(p.mean + dot(l, z), sd, this.bests[s] as number)));
  }

  /** log NEI and its gradient in the point. */
  logValueWithGradient(point: readonly number[]): { value: number; gradient: number[] } {
    const p = this.model.predictWithGradient(point, this.baseline);
    const { l, sd } = this.conditional(p.weights, p.variance);
    const d = point.length;
    // ∇l = L⁻¹ ∇Σ(X_b, x), column by column of the point's coordinates.
    const crossGradients = p.weightGradients.map((g, r) => g.map((v) => v * (this.baselineNoise[r] as number)));
    const lGradients = Array.from({ length: d }, (_, k) => forwardSolve(this.lower, crossGradients.map((g) => g[k] as number)));
    const sdGradient = Array.from({ length: d }, (_, k) => (sd * sd <= VARIANCE_FLOOR ? 0 : ((p.varianceGradient[k] as number) - 2 * dot(lGradients[k] as number[], l)) / (2 * sd)));
    const terms = this.draws.map((z, s) => logExpectedImprovementWithGradient(p.mean + dot(l, z), sd, this.bests[s] as number));
    const value = logMeanExp(terms.map((t) => t.value));
    const gradient = Array<number>(d).fill(0);
    terms.forEach((t, s) => {
      const weight = Math.exp(t.value - value) / terms.length; // the draw's share of the average
      const z = this.draws[s] as number[];
      for (let k = 0; k < d; k++) {
        const meanSlope = (p.meanGradient[k] as number) + dot(lGradients[k] as number[], z);
        gradient[k] = (gradient[k] as number) + weight * (t.dMean * meanSlope + t.dSd * (sdGradient[k] as number));
      }
    });
    return { value, gradient };
  }

  private conditional(weights: readonly number[], variance: number): { l: number[]; sd: number } {
    const cross = this.baseline.map((i, r) => (this.baselineNoise[r] as number) * (weights[i] as number));
    const l = forwardSolve(this.lower, cross);
    return { l, sd: Math.sqrt(Math.max(VARIANCE_FLOOR, variance - dot(l, l))) };
  }
}

/** log of the mean of exp(values), without overflow. */
function logMeanExp(values: readonly number[]): number {
  const top = Math.max(...values);
  if (!Number.isFinite(top)) return top;
  return top + Math.log(values.reduce((sum, v) => sum + Math.exp(v - top), 0) / values.length);
}

/** Lower Cholesky factor, adding jitter (relative to the signal variance) until the matrix is positive definite. */
function choleskyWithJitter(matrix: readonly number[][], scale: number): number[][] {
  for (const jitter of [1e-10, 1e-8, 1e-6, 1e-4]) {
    const lower = cholesky(matrix.map((row, i) => row.map((v, j) => (i === j ? v + jitter * scale : v))));
    if (lower !== undefined) return lower;
  }
  return matrix.map((row, i) => row.map((_, j) => (i === j ? Math.sqrt(1e-4 * scale) : 0)));
}

function cholesky(matrix: readonly number[][]): number[][] | undefined {
  const n = matrix.length;
  const lower = Array.from({ length: n }, () => Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const sum = (matrix[i] as number[])[j]! - dotPrefix(lower[i] as number[], lower[j] as number[], j);
      if (i === j) {
        if (!(sum > 0)) return undefined;
        (lower[i] as number[])[i] = Math.sqrt(sum);
      } else (lower[i] as number[])[j] = sum / (lower[j] as number[])[j]!;
    }
  }
  return lower;
}

function forwardSolve(lower: readonly number[][], b: readonly number[]): number[] {
  const x: number[] = [];
  for (let i = 0; i < b.length; i++) x.push(((b[i] as number) - dotPrefix(lower[i] as number[], x, i)) / (lower[i] as number[])[i]!);
  return x;
}

function dotPrefix(a: readonly number[], b: readonly number[], length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function dot(a: readonly number[], b: readonly number[]): number {
  return dotPrefix(a, b, a.length);
}
