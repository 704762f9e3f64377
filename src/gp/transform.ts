/**
 * The output transform applied before fitting: standardize, Yeo–Johnson with the λ that makes the data most
 * normal, standardize again. Latencies spanning orders of magnitude end up near log scale (λ ≈ 0); values that
 * are already symmetric stay near linear (λ ≈ 1). The transform is monotone, so the best stays the best.
 * λ stays at most 1: above 1 it would compress the low tail, where the minimum is, and blur the differences
 * the optimiser must resolve near it (on Hartmann-6 that alone cost an order of magnitude in regret).
 */
const LAMBDA_GRID = Array.from({ length: 31 }, (_, i) => -2 + i * 0.1);

export interface OutputTransform {
  forward(value: number): number;
  inverse(transformed: number): number;
}

export function fitOutputTransform(values: readonly number[]): OutputTransform {
  const first = fitStandardizer(values);
  const standardized = values.map(first.forward);
  const lambda = bestLambda(standardized);
  const second = fitStandardizer(standardized.map((v) => yeoJohnson(v, lambda)));
  return {
    forward: (value) => second.forward(yeoJohnson(first.forward(value), lambda)),
    inverse: (transformed) => first.inverse(yeoJohnsonInverse(second.inverse(transformed), lambda)),
  };
}

export function fitStandardizer(values: readonly number[]): OutputTransform {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  const scale = variance > 1e-24 ? Math.sqrt(variance) : 1; // all equal: only centre
  return { forward: (v) => (v - mean) / scale, inverse: (t) => t * scale + mean };
}

/** Profile log-likelihood of a normal fit to the transformed data, with the Jacobian term. */
function bestLambda(values: readonly number[]): number {
  if (values.length < 3) return 1;
  let best = 1;
  let bestScore = -Infinity;
  for (const lambda of LAMBDA_GRID) {
    const transformed = values.map((v) => yeoJohnson(v, lambda));
    const mean = transformed.reduce((sum, v) => sum + v, 0) / transformed.length;
    const variance = transformed.reduce((sum, v) => sum + (v - mean) ** 2, 0) / transformed.length;
    const jacobian = values.reduce((sum, v) => sum + Math.sign(v) * Math.log1p(Math.abs(v)), 0);
    const score = -0.5 * values.length * Math.log(Math.max(variance, 1e-300)) + (lambda - 1) * jacobian;
    if (score > bestScore) [best, bestScore] = [lambda, score];
  }
  return best;
}

export function yeoJohnson(v: number, lambda: number): number {
  if (v >= 0) return Math.abs(lambda) < 1e-9 ? Math.log1p(v) : (Math.pow(v + 1, lambda) - 1) / lambda;
  return Math.abs(lambda - 2) < 1e-9 ? -Math.log1p(-v) : -(Math.pow(1 - v, 2 - lambda) - 1) / (2 - lambda);
}

export function yeoJohnsonInverse(t: number, lambda: number): number {
  if (t >= 0) return Math.abs(lambda) < 1e-9 ? Math.expm1(t) : Math.pow(Math.max(lambda * t + 1, 1e-300), 1 / lambda) - 1;
  return Math.abs(lambda - 2) < 1e-9 ? -Math.expm1(-t) : 1 - Math.pow(Math.max(1 - (2 - lambda) * t, 1e-300), 1 / (2 - lambda));
}
