/**
 * The standard normal distribution, accurate far into the tails: the CDF comes from an all-positive erf series
 * near the centre and from the continued fraction of Mills' ratio beyond, so nothing cancels.
 */
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Beyond this |z| the continued fraction converges fast; inside it the series does. */
const TAIL_START = 3;

export function normalLogPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

export function normalPdf(z: number): number {
  return Math.exp(normalLogPdf(z));
}

export function normalCdf(z: number): number {
  if (z <= -TAIL_START) return normalPdf(z) * millsRatio(-z);
  if (z >= TAIL_START) return 1 - normalPdf(z) * millsRatio(z);
  return 0.5 + 0.5 * erfSeries(z / Math.SQRT2);
}

/**
 * Mills' ratio (1 - Φ(x)) / φ(x) for x >= TAIL_START, as the continued fraction
 * 1 / (x + 1 / (x + 2 / (x + 3 / (x + ...)))), evaluated from the bottom up.
 */
export function millsRatio(x: number): number {
  return 1 / (x + millsTail(x));
}

/**
 * The part of Mills' ratio's continued fraction below the first level: 1 / (x + 2 / (x + 3 / ...)). It
 * converges faster the larger x is: 12 + 400 / x² levels reach full double precision from x = 3 on (50 are
 * needed there, 15 at x = 8), and this sits under every log-EI evaluation in the tail.
 */
export function millsTail(x: number): number {
  let tail = 0;
  for (let k = Math.ceil(12 + 400 / (x * x)); k >= 2; k--) tail = k / (x + tail);
  return 1 / (x + tail);
}

/** erf(x) = 2/√π · e^(−x²) · Σ (2x²)^n x / (1·3·…·(2n+1)): every term is positive, so no digits are lost. */
function erfSeries(x: number): number {
  const twoXSquared = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= twoXSquared / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}
