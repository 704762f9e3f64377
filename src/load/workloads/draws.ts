/** Draws from an injected uniform source (`uniformSource(seed)` from src/random, or a caller's own). */
export function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A log-normal draw (Box–Muller), rounded and clamped: sentence lengths are right-skewed like this. */
export function logNormalInt(random: () => number, median: number, sigma: number, min: number, max: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * z))));
}
