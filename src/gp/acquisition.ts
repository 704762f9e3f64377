/**
 * Expected improvement for minimisation. With z = (best − mean) / sd, EI = sd · h(z), h(z) = φ(z) + z Φ(z).
 * Plain EI underflows to 0 once z is below about −38, which leaves an optimiser nothing to compare, so the
 * optimiser uses log EI, computed without cancellation (as in Ament et al., "Unexpected improvements to EI"),
 * with its derivatives in the mean and the standard deviation for gradient-based maximisation.
 */
import { millsTail, normalCdf, normalLogPdf, normalPdf } from './normal.ts';

export function expectedImprovement(mean: number, sd: number, best: number): number {
  if (sd <= 0) return Math.max(0, best - mean);
  const z = (best - mean) / sd;
  return sd * (normalPdf(z) + z * normalCdf(z));
}

export function logExpectedImprovement(mean: number, sd: number, best: number): number {
  if (sd <= 0) return Math.log(Math.max(0, best - mean));
  const z = (best - mean) / sd;
  if (z > -3) return Math.log(sd) + Math.log(normalPdf(z) + z * normalCdf(z));
  return Math.log(sd) + tailLogH(-z, millsTail(-z));
}

export interface LogEiWithGradient {
  value: number;
  /** ∂ log EI / ∂ mean */
  dMean: number;
  /** ∂ log EI / ∂ sd */
  dSd: number;
}

/**
 * log EI and its partial derivatives; sd must be positive. With h(z) = φ(z) + z Φ(z), d log h / dz = Φ(z) / h(z);
 * in the tail Φ(z) = φ(x)·m and h = φ(x)·t·m (see tailLogH), so that slope is 1 / t.
 */
export function logExpectedImprovementWithGradient(mean: number, sd: number, best: number): LogEiWithGradient {
  const z = (best - mean) / sd;
  let logH: number;
  let slope: number;
  if (z > -3) {
    const cdf = normalCdf(z);
    const h = normalPdf(z) + z * cdf;
    logH = Math.log(h);
    slope = cdf / h;
  } else {
    const tail = millsTail(-z);
    logH = tailLogH(-z, tail);
    slope = 1 / tail;
  }
  return { value: Math.log(sd) + logH, dMean: -slope / sd, dSd: (1 - z * slope) / sd };
}

/**
 * log h(z) for z ≤ −3, with x = −z and t the continued fraction's tail (normal.ts): h = φ(x)·(1 − x·m(x)) where m
 * is Mills' ratio 1 / (x + t), and 1 − x·m = t·m exactly: a product of positive numbers, no subtraction.
 */
function tailLogH(x: number, tail: number): number {
  return normalLogPdf(x) + Math.log(tail) - Math.log(x + tail);
}
