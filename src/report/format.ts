/** Number formatting shared by the HTML report and the comparison table. */

/** Three significant digits, no exponent for everyday magnitudes; '–' for missing values. */
export function formatValue(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 0.001 || magnitude >= 1e6)) return value.toExponential(2);
  return Number(value.toPrecision(3)).toString();
}

export function formatSpeedup(speedup: number | undefined): string {
  return speedup === undefined || !Number.isFinite(speedup) ? '–' : `${speedup.toFixed(2)}×`;
}
