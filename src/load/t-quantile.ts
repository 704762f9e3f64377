/**
 * Quantiles of Student's t, exact to floating-point precision for whole degrees of freedom (simple-statistics
 * has no t quantile, and a table would pin each caller to the confidence levels someone typed in).
 *
 * For whole df the two-sided probability A(t | df) = P(|T| ≤ t) is a finite trigonometric series in
 * θ = atan(t / √df) (Abramowitz & Stegun 26.7.3–4), increasing in θ on (0, π/2), so bisection on θ finds the
 * quantile with a fixed bracket. Its cost grows with df (df/2 terms per step): meant for the small df of
 * batch means (a few dozen at most), not as a normal approximation for df in the millions.
 */

/** Halvings of (0, π/2): after 64 the bracket is below the floating-point resolution of θ. */
const BISECTION_STEPS = 64;

/**
 * t_{probability, df}: the value a Student-t variable with df degrees of freedom stays below with this
 * probability (0.975 for a two-sided 95% interval, 0.99 for a one-sided 99% bound). A fractional df is
 * rounded down, which widens the interval; NaN for df < 1, an infinite df or a probability outside (0, 1).
 */
export function tQuantile(probability: number, df: number): number {
  if (!(df >= 1) || !Number.isFinite(df) || !(probability > 0 && probability < 1)) return Number.NaN;
  if (probability < 0.5) return -tQuantile(1 - probability, df);
  const wholeDf = Math.floor(df);
  const twoSided = 2 * probability - 1;
  let low = 0;
  let high = Math.PI / 2;
  for (let step = 0; step < BISECTION_STEPS; step += 1) {
    const middle = (low + high) / 2;
    if (centralProbability(middle, wholeDf) < twoSided) low = middle;
    else high = middle;
  }
  return Math.sqrt(wholeDf) * Math.tan((low + high) / 2);
}

/** A(t | df) = P(|T| ≤ t) at θ = atan(t / √df), for whole df ≥ 1. */
function centralProbability(theta: number, df: number): number {
  const cosSquared = Math.cos(theta) ** 2;
  // Both parities sum terms c_k·cos^k θ with c_k / c_{k−2} = (k − 1) / k, up to k = df − 2.
  const seriesFrom = (firstPower: number, firstTerm: number): number => {
    let term = firstTerm;
    let sum = firstTerm;
    for (let power = firstPower + 2; power <= df - 2; power += 2) {
      term *= (cosSquared * (power - 1)) / power;
      sum += term;
    }
    return sum;
  };
  if (df % 2 === 0) return Math.sin(theta) * seriesFrom(0, 1);
  const oddSeries = df === 1 ? 0 : seriesFrom(1, Math.cos(theta));
  return (2 / Math.PI) * (theta + Math.sin(theta) * oddSeries);
}
