/**
 * A Gaussian-process regression model on the unit cube: Matérn-5/2 ARD kernel, hyperparameters chosen by
 * maximising the penalised marginal likelihood from several starts, targets passed through an output transform.
 * Predictions are in the transformed scale (where expected improvement is computed).
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { inverseFromCholesky } from './cholesky-inverse.ts';
import { fromTheta, startingThetas, type Hyperparameters } from './hyperparameters.ts';
import { kernelMatrix } from './kernel.ts';
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
}

export interface Prediction {
  mean: number[];
  variance: number[];
}

const DEFAULTS: Required<FitOptions> = { maxFitPoints: 80, maxIterations: 25, starts: 3, optimizedStarts: 3, outputTransform: 'yeo-johnson' };
/** Relative improvement below which a fit stops: hyperparameters matter to a percent, not to six digits. */
const FIT_TOLERANCE = 1e-4;
/** Added to the diagonal when the fitted covariance is numerically singular. */
const JITTERS = [0, 1e-8, 1e-6, 1e-4];

export class GaussianProcess {
  private constructor(
    private readonly inputs: readonly (readonly number[])[],
    private readonly alpha: readonly number[],
    /** K⁻¹ as plain rows: the variance's quadratic form runs much faster on them than through Matrix.get. */
    private readonly inverse: readonly Float64Array[],
    readonly hyperparameters: Hyperparameters,
    readonly transform: OutputTransform,
    /** The targets after the output transform, in input order. */
    readonly targets: readonly number[],
  ) {}

  static fit(inputs: readonly (readonly number[])[], values: readonly number[], options: FitOptions = {}): GaussianProcess {
    if (inputs.length === 0 || inputs.length !== values.length) throw new RangeError('a GP needs as many values as inputs, at least one');
    const settings = { ...DEFAULTS, ...options };
    const transform = settings.outputTransform === 'standardize' ? fitStandardizer(values) : fitOutputTransform(values);
    const targets = values.map(transform.forward);
    const hyperparameters = fitHyperparameters(inputs, targets, settings);
    const { alpha, inverse } = factorize(inputs, targets, hyperparameters);
    return new GaussianProcess(inputs, alpha, inverse, hyperparameters, transform, targets);
  }

  /** Posterior mean and variance of the latent function (noise excluded) at each point. */
  predict(points: readonly (readonly number[])[]): Prediction {
    if (points.length === 0) return { mean: [], variance: [] };
    const cross = kernelMatrix(points, this.inputs, this.hyperparameters);
    const mean = cross.map((row) => row.reduce((sum, k, j) => sum + k * (this.alpha[j] as number), 0));
    const variance = cross.map((row) => Math.max(1e-12, this.hyperparameters.signalVariance - quadraticForm(this.inverse, row)));
    return { mean, variance };
  }
}

function fitHyperparameters(inputs: readonly (readonly number[])[], targets: readonly number[], settings: Required<FitOptions>): Hyperparameters {
  const subset = fittingSubset(targets.length, targets, settings.maxFitPoints);
  const fitInputs = subset.map((i) => inputs[i] as readonly number[]);
  const fitTargets = subset.map((i) => targets[i] as number);
  const likelihood = new MarginalLikelihood(fitInputs, fitTargets);
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

function factorize(inputs: readonly (readonly number[])[], targets: readonly number[], hyperparameters: Hyperparameters): { alpha: number[]; inverse: Float64Array[] } {
  const signal = kernelMatrix(inputs, inputs, hyperparameters);
  for (const jitter of JITTERS) {
    const noise = hyperparameters.noiseVariance + jitter * hyperparameters.signalVariance;
    const cholesky = new CholeskyDecomposition(new Matrix(signal.map((row, i) => row.map((k, j) => (i === j ? k + noise : k)))));
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
