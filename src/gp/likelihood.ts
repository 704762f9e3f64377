/**
 * Negative log marginal likelihood of a zero-mean GP (targets are standardized) plus the hyperprior, with its
 * analytic gradient: ∂/∂θ = ½ tr((K⁻¹ − ααᵀ) ∂K/∂θ), α = K⁻¹y. Squared coordinate differences do not depend
 * on θ, so they are computed once per fit (the optimiser evaluates this many times).
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { inverseFromCholesky } from './cholesky-inverse.ts';
import { fromTheta, negativeLogPrior, NOISE_FLOOR } from './hyperparameters.ts';
import { lengthScaleGradientFactor, maternShape } from './kernel.ts';
import type { Evaluation } from './lbfgs.ts';

const LOG_2PI = Math.log(2 * Math.PI);
/** Length scales and variances beyond e^±20 are numerically meaningless; treated as infinitely unlikely. */
const MAX_LOG_HYPERPARAMETER = 20;

export class MarginalLikelihood {
  private readonly n: number;
  private readonly dims: number;
  /** squaredDifferences[d][i * n + j] = (x_i,d − x_j,d)² */
  private readonly squaredDifferences: Float64Array[];

  constructor(
    inputs: readonly (readonly number[])[],
    private readonly targets: readonly number[],
    /** Known noise variance of each target (transformed scale), added to the learned noise. */
    private readonly knownNoise: readonly number[] = targets.map(() => 0),
  ) {
    this.n = inputs.length;
    this.dims = (inputs[0] as readonly number[]).length;
    this.squaredDifferences = Array.from({ length: this.dims }, (_, d) => {
      const table = new Float64Array(this.n * this.n);
      for (let i = 0; i < this.n; i++) {
        for (let j = 0; j < this.n; j++) table[i * this.n + j] = (((inputs[i] as number[])[d] as number) - ((inputs[j] as number[])[d] as number)) ** 2;
      }
      return table;
    });
  }

  /** −log p(y | θ) − log p(θ) and its gradient in θ; Infinity when the covariance is not positive definite. */
  negativeLogPosterior(theta: readonly number[]): Evaluation {
    const { n, dims } = this;
    if (theta.some((t) => !Number.isFinite(t) || Math.abs(t) > MAX_LOG_HYPERPARAMETER)) return { value: Infinity, gradient: theta.map(() => 0) };
    const { lengthScales, signalVariance, noiseVariance } = fromTheta(theta);
    const inverseSquaredScales = lengthScales.map((l) => 1 / (l * l));
    const distances = this.scaledDistances(inverseSquaredScales);
    const covariance = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) covariance.set(i, j, signalVariance * maternShape(distances[i * n + j] as number) + (i === j ? noiseVariance + (this.knownNoise[i] as number) : 0));
    }
    const cholesky = new CholeskyDecomposition(covariance);
    if (!cholesky.isPositiveDefinite()) return { value: Infinity, gradient: theta.map(() => 0) };

    const alpha = cholesky.solve(Matrix.columnVector([...this.targets])).to1DArray();
    const inverse = inverseFromCholesky(cholesky);
    const gradient = Array<number>(dims + 2).fill(0);
    for (let i = 0; i < n; i++) {
      const inverseRow = inverse[i] as Float64Array;
      for (let j = 0; j < n; j++) {
        const w = 0.5 * ((inverseRow[j] as number) - (alpha[i] as number) * (alpha[j] as number));
        const r = distances[i * n + j] as number;
        gradient[dims] = (gradient[dims] as number) + w * signalVariance * maternShape(r);
        if (i === j) {
          gradient[dims + 1] = (gradient[dims + 1] as number) + w * (noiseVariance - NOISE_FLOOR);
          continue;
        }
        const factor = w * lengthScaleGradientFactor(r, signalVariance);
        for (let d = 0; d < dims; d++) {
          gradient[d] = (gradient[d] as number) + factor * ((this.squaredDifferences[d] as Float64Array)[i * n + j] as number) * (inverseSquaredScales[d] as number);
        }
      }
    }
    const lower = cholesky.lowerTriangularMatrix;
    let logDeterminant = 0;
    for (let i = 0; i < n; i++) logDeterminant += 2 * Math.log(lower.get(i, i));
    const fit = alpha.reduce((sum, a, i) => sum + a * (this.targets[i] as number), 0);
    const prior = negativeLogPrior(theta);
    return {
      value: 0.5 * fit + 0.5 * logDeterminant + 0.5 * n * LOG_2PI + prior.value,
      gradient: gradient.map((g, k) => g + (prior.gradient[k] as number)),
    };
  }

  private scaledDistances(inverseSquaredScales: readonly number[]): Float64Array {
    const distances = new Float64Array(this.n * this.n);
    for (let d = 0; d < this.dims; d++) {
      const table = this.squaredDifferences[d] as Float64Array;
      const weight = inverseSquaredScales[d] as number;
      for (let k = 0; k < distances.length; k++) distances[k] = (distances[k] as number) + weight * (table[k] as number);
    }
    for (let k = 0; k < distances.length; k++) distances[k] = Math.sqrt(distances[k] as number);
    return distances;
  }
}
