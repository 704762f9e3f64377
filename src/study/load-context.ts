/**
 * A load level as the context coordinate a contextual optimizer conditions on: the client concurrency on a log
 * scale between the lowest and the highest level of the campaign, so 0 is the lightest load and 1 the heaviest
 * (latency grows roughly with the log of the load, and doubling it is the same step anywhere). One level maps to
 * the middle of the unit interval. Pure.
 */

/** The loads a campaign measures at; positive. */
export interface LoadRange {
  low: number;
  high: number;
}

export function loadRange(levels: readonly number[]): LoadRange {
  if (levels.length === 0 || levels.some((level) => !(level > 0))) throw new RangeError('a load range needs positive levels');
  return { low: Math.min(...levels), high: Math.max(...levels) };
}

/** log(c / low) / log(high / low); 0.5 when the range is one level. Loads outside the range extrapolate. */
export function loadCoordinate(concurrency: number, range: LoadRange): number {
  if (range.high === range.low) return 0.5;
  return Math.log(concurrency / range.low) / Math.log(range.high / range.low);
}

/** The context of a trial run at `concurrency`: its one coordinate, as a sampler's context. */
export function loadContext(concurrency: number, range: LoadRange): number[] {
  return [loadCoordinate(concurrency, range)];
}

/** The load at a coordinate: the inverse of loadCoordinate (the range's one level when it has only one). */
export function concurrencyAt(coordinate: number, range: LoadRange): number {
  if (range.high === range.low) return range.low;
  return range.low * (range.high / range.low) ** coordinate;
}
