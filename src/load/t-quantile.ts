/**
 * Two-sided 95% quantiles of Student's t (t_{0.975, df}); simple-statistics has no t quantile.
 * Batch means use 10–20 batches, so the table covers every df they can need; beyond it the normal value.
 */
const T975: readonly number[] = [
  Number.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z975 = 1.96;

export function tQuantile975(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  if (df < T975.length) return T975[Math.floor(df)] ?? Number.NaN;
  if (df <= 40) return 2.021;
  if (df <= 60) return 2.0;
  if (df <= 120) return 1.98;
  return Z975;
}
