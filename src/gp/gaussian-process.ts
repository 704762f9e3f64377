/**
 * A Gaussian-process regression model on the unit cube: Matérn-5/2 ARD kernel, hyperparameters chosen by
 * maximising the penalised marginal likelihood from several starts, targets passed through an output transform.
 * Each observation's noise is the learned noise level plus, where the measurement knows it, its own variance.
 * Predictions are in the transformed scale (where expected improvement is computed), with their gradients in
 * the inputs for the acquisition's optimiser.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { inverseFromCholesky } from './cholesky-inverse.ts';
import { fromTheta, startingThetas, type Hyperparameters } from './hyperparameters.ts';
import { kernelMatrix, kernelRowWithGradient, matern52 } from './kernel.ts';
import { minimize } from './lbfgs.ts';
import { MarginalLikelihood } from './likelihood.ts';
import { fitOutputTransform, fitStandardizer, type OutputTransform } from './transform.ts';

export interface FitOptions {
  /** Hyperparameters are fitted on at most this many points (the final model uses all). */
  maxFitPoints?: number;
  maxIterations?: number;
  /** Starting points evaluated; L-BFGS then runs from the best `optimizedStarts` of them. */
  starts?: number;
  optimizedStarts?: number;
  /** 'yeo-johnson' (default) for skewed objectives; 'standardize' keeps values linear, e.g. 0/1 labels. */
  outputTransform?: 'yeo-johnson' | 'standardize';
  /** Known noise variance of each value, in the values' units squared (0 or absent: unknown). */
  noise?: readonly number[];
}

export interface Prediction {
  mean: number[];
  variance: number[];
}

/** One point's posterior with its gradients in the point's coordinates. */
export interface PointPrediction {
  mean: number;
  variance: number;
  meanGradient: number[];
  varianceGradient: number[];
  /** (K + N)⁻¹ k(X, x), and the gradients of the entries asked for: what noisy EI needs beyond mean and variance. */
  weights: number[];
  weightGradients: number[][];
}

type Settings = Required<Omit<FitOptions, 'noise'>>;
const DEFAULTS: Settings = { maxFitPoints: 80, maxIterations: 25, starts: 2, optimizedStarts: 2, outputTransform: 'yeo-johnson' };
/** Relative improvement below which a fit stops: hyperparameters matter to a percent, not to six digits. */
const FIT_TOLERANCE = 1e-4;
/** The smallest latent variance a prediction reports, so its square root stays usable. */
const VARIANCE_FLOOR = 1e-12;
/** Added to the diagonal when the fitted covariance is numerically singular. */
const JITTERS = [0, 1e-8, 1e-6, 1e-4];

export class GaussianProcess {
  private constructor(
    readonly inputs: readonly (readonly number[])[],
    /** (K + N)⁻¹ y. */
    readonly alpha: readonly number[],
    /** (K + N)⁻¹ as plain rows: the variance's quadratic form runs much faster on them than through Matrix.get. */
    readonly inverse: readonly Float64Array[],
    readonly hyperparameters: Hyperparameters,
    readonly transform: OutputTransform,
    /** The targets after the output transform, in input order. */
    readonly targets: readonly number[],
    /** Each observation's total noise variance N_ii (transformed scale): learned plus known. */
    readonly noise: readonly number[],
  ) {}

  static fit(inputs: readonly (readonly number[])[], values: readonly number[], options: FitOptions = {}): GaussianProcess {
    if (inputs.length === 0 || inputs.length !== values.length) throw new RangeError('a GP needs as many values as inputs, at least one');
    const settings = { ...DEFAULTS, ...options };
    const transform = settings.outputTransform === 'standardize' ? fitStandardizer(values) : fitOutputTransform(values);
    const targets = values.map(transform.forward);
    const knownNoise = values.map((value, i) => transformedVariance(transform, value, options.noise?.[i] ?? 0));
    return GaussianProcess.conditioned(inputs, targets, transform, knownNoise, fitHyperparameters(inputs, targets, knownNoise, settings));
  }

  /** A model with given hyperparameters on targets already transformed (no fit): for tests and what-ifs. */
  static conditioned(
    inputs: readonly (readonly number[])[],
    targets: readonly number[],
    transform: OutputTransform,
    knownNoise: readonly number[],
    hyperparameters: Hyperparameters,
  ): GaussianProcess {
    const noise = knownNoise.map((known) => known + hyperparameters.noiseVariance);
    const { alpha, inverse } = factorize(inputs, targets, noise, hyperparameters);
    return new GaussianProcess(inputs, alpha, inverse, hyperparameters, transform, targets, noise);
  }

  /** Posterior mean and variance of the latent function (noise excluded) at each point. */
  predict(points: readonly (readonly number[])[]): Prediction {
    if (points.length === 0) return { mean: [], variance: [] };
    const cross = kernelMatrix(points, this.inputs, this.hyperparameters);
    const mean = cross.map((row) => row.reduce((sum, k, j) => sum + k * (this.alpha[j] as number), 0));
    const variance = cross.map((row) => Math.max(VARIANCE_FLOOR, this.hyperparameters.signalVariance - quadraticForm(this.inverse, row)));
    return { mean, variance };
  }

  /** Posterior means alone: what a classifier's probabilities need, without the O(n²) variance. */
  predictMean(points: readonly (readonly number[])[]): number[] {
    return points.map((point) => this.inputs.reduce((sum, input, j) => sum + matern52(point, input, this.hyperparameters) * (this.alpha[j] as number), 0));
  }

  /** The posterior at one point with the weights (K + N)⁻¹ k(X, x) noisy EI conditions on; no gradients. */
  predictWithWeights(point: readonly number[]): { mean: number; variance: number; weights: number[] } {
    const row = this.inputs.map((input) => matern52(point, input, this.hyperparameters));
    const weights = this.inverse.map((inverseRow) => dotRow(inverseRow, row));
    let mean = 0;
    let explained = 0;
    for (let j = 0; j < row.length; j++) {
      mean += (row[j] as number) * (this.alpha[j] as number);
      explained += (row[j] as number) * (weights[j] as number);
    }
    return { mean, variance: Math.max(VARIANCE_FLOOR, this.hyperparameters.signalVariance - explained), weights };
  }

  /**
   * The posterior at one point with gradients: μ = kᵀα, σ² = s² − kᵀ(K + N)⁻¹k, so ∇μ = ∇kᵀα and
   * ∇σ² = −2 ∇kᵀ(K + N)⁻¹k. `weightRows`: the inputs whose weight gradients are wanted (each costs O(n·d)).
   */
  predictWithGradient(point: readonly number[], weightRows: readonly number[] = []): PointPrediction {
    const { row, gradient } = kernelRowWithGradient(point, this.inputs, this.hyperparameters);
    const n = row.length;
    const d = point.length;
    const weights = this.inverse.map((inverseRow) => dotRow(inverseRow, row));
    const weightGradients = weightRows.map((i) => {
      const inverseRow = this.inverse[i] as Float64Array;
      const g = Array<number>(d).fill(0);
      for (let j = 0; j < n; j++) {
        const a = inverseRow[j] as number;
        const dk = gradient[j] as number[];
        for (let k = 0; k < d; k++) g[k] = (g[k] as number) + a * (dk[k] as number);
      }
      return g;
    });
    const meanGradient = Array<number>(d).fill(0);
    const varianceGradient = Array<number>(d).fill(0);
    let mean = 0;
    let explained = 0;
    for (let j = 0; j < n; j++) {
      const dk = gradient[j] as number[];
      const a = this.alpha[j] as number;
      const w = weights[j] as number;
      mean += (row[j] as number) * a;
      explained += (row[j] as number) * w;
      for (let k = 0; k < d; k++) {
        meanGradient[k] = (meanGradient[k] as number) + a * (dk[k] as number);
        varianceGradient[k] = (varianceGradient[k] as number) - 2 * w * (dk[k] as number);
      }
    }
    const raw = this.hyperparameters.signalVariance - explained;
    // Below the floor the variance is clamped, so it no longer moves with the point.
    return raw > VARIANCE_FLOOR
      ? { mean, variance: raw, meanGradient, varianceGradient, weights, weightGradients }
      : { mean, variance: VARIANCE_FLOOR, meanGradient, varianceGradient: varianceGradient.map(() => 0), weights, weightGradients };
  }
}

/** A value's noise variance carried through the output transform by its local slope (the delta method). */
function transformedVariance(transform: OutputTransform, value: number, variance: number): number {
  if (!(variance > 0)) return 0;
  const h = 1e-4 * Math.max(Math.sqrt(variance), 1e-9);
  const slope = (transform.forward(value + h) - transform.forward(value - h)) / (2 * h);
  return slope * slope * variance;
}

function dotRow(row: Float64Array, vector: readonly number[]): number {
  let sum = 0;
  for (let j = 0; j < vector.length; j++) sum += (row[j] as number) * (vector[j] as number);
  return sum;
}

function fitHyperparameters(inputs: readonly (readonly number[])[], targets: readonly number[], knownNoise: readonly number[], settings: Settings): Hyperparameters {
  const subset = fittingSubset(targets.length, targets, settings.maxFitPoints);
  const fitInputs = subset.map((i) => inputs[i] as readonly number[]);
  const fitTargets = subset.map((i) => targets[i] as number);
  const likelihood = new MarginalLikelihood(fitInputs, fitTargets, subset.map((i) => knownNoise[i] as number));
  const objective = (theta: readonly number[]) => likelihood.negativeLogPosterior(theta);
  const starts = startingThetas((inputs[0] as readonly number[]).length)
    .slice(0, settings.starts)
    .map((theta) => ({ x: theta, value: objective(theta).value }))
    .sort((a, b) => a.value - b.value);
  let best = starts[0] as { x: number[]; value: number };
  for (const start of starts.slice(0, settings.optimizedStarts)) {
    const result = minimize(objective, start.x, { maxIterations: settings.maxIterations, tolerance: FIT_TOLERANCE });
    if (result.value < best.value) best = result;
  }
  return fromTheta(best.x);
}

/** All points when few; otherwise the best third plus an even spread of the rest (deterministic). */
function fittingSubset(count: number, targets: readonly number[], limit: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count <= limit) return all;
  const byValue = [...all].sort((a, b) => (targets[a] as number) - (targets[b] as number));
  const best = byValue.slice(0, Math.floor(limit / 3));
  const rest = all.filter((i) => !best.includes(i));
  const spread = Array.from({ length: limit - best.length }, (_, k) => rest[Math.floor((k * rest.length) / (limit - best.length))] as number);
  return [...best, ...spread];
}

function factorize(inputs: readonly (readonly number[])[], targets: readonly number[], noise: readonly number[], hyperparameters: Hyperparameters): { alpha: number[]; inverse: Float64Array[] } {
  const signal = kernelMatrix(inputs, inputs, hyperparameters);
  for (const jitter of JITTERS) {
    const extra = jitter * hyperparameters.signalVariance;
    const cholesky = new CholeskyDecomposition(new Matrix(signal.map((row, i) => row.map((k, j) => (i === j ? k + (noise[i] as number) + extra : k)))));
    if (!cholesky.isPositiveDefinite()) continue;
    return {
      alpha: cholesky.solve(Matrix.columnVector([...targets])).to1DArray(),
      inverse: inverseFromCholesky(cholesky),
    };
  }
  throw new Error('GP covariance is not positive definite even with jitter');
}

/** kᵀ A k for symmetric A, visiting each pair once. */
function quadraticForm(matrix: readonly Float64Array[], vector: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    const row = matrix[i] as Float64Array;
    const vi = vector[i] as number;
    let inner = 0.5 * (row[i] as number) * vi;
    for (let j = i + 1; j < vector.length; j++) inner += (row[j] as number) * (vector[j] as number);
    sum += 2 * vi * inner;
  }
  return sum;
}
