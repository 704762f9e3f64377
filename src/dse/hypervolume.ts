/**
 * Hypervolume (pure): how much of objective space a set of points dominates, every objective minimised, up to
 * a reference point — the one number that says how good a whole Pareto front is (larger is better: nearer the
 * ideal, wider, denser). Exact for 2 objectives by a sweep and for 3 by slicing along the third into 2-D sweeps;
 * a few hundred points take milliseconds. Also the non-dominated front, the hypervolume after each trial, the
 * knee of a 2-D front and the reference-point rule every study compared shares.
 */
import { paretoFront } from './pareto.ts';

/** One point's value on each objective, lower is better. */
export type ObjectivePoint = readonly number[];

const coordinate = (k: number) => (point: ObjectivePoint) => point[k] as number;

/** The points no other point dominates, in input order (dominance as in pareto.ts). */
export function nonDominated<P extends ObjectivePoint>(points: readonly P[]): P[] {
  const dimensions = points[0]?.length ?? 0;
  return paretoFront(points, Array.from({ length: dimensions }, (_, k) => coordinate(k)));
}

/**
 * The volume dominated by `points` and bounded by `reference`. A point not strictly better than the reference
 * on every objective adds nothing. Two or three objectives.
 */
export function hypervolume(points: readonly ObjectivePoint[], reference: ObjectivePoint): number {
  const inside = points.filter((p) => p.length === reference.length && p.every((v, k) => v < (reference[k] as number)));
  switch (reference.length) {
    case 2:
      return sweep2d(inside, reference);
    case 3:
      return slices3d(inside, reference);
    default:
      throw new RangeError(`hypervolume takes 2 or 3 objectives, got ${reference.length}`);
  }
}

/**
 * By increasing first objective, the lowest second objective so far bounds a staircase of rectangles up to the
 * reference: dominated points never lower it, so they add nothing and need no filtering out.
 */
function sweep2d(points: readonly ObjectivePoint[], reference: ObjectivePoint): number {
  const sorted = [...points].sort((a, b) => (a[0] as number) - (b[0] as number));
  let area = 0;
  let lowest = reference[1] as number;
  sorted.forEach((point, i) => {
    lowest = Math.min(lowest, point[1] as number);
    const nextX = i + 1 < sorted.length ? (sorted[i + 1]![0] as number) : (reference[0] as number);
    area += (nextX - (point[0] as number)) * ((reference[1] as number) - lowest);
  });
  return area;
}

/** Between consecutive third-objective levels, the points at or below the level dominate a 2-D area of that thickness. */
function slices3d(points: readonly ObjectivePoint[], reference: ObjectivePoint): number {
  const levels = [...new Set(points.map((p) => p[2] as number))].sort((a, b) => a - b);
  let volume = 0;
  levels.forEach((level, i) => {
    const top = i + 1 < levels.length ? (levels[i + 1] as number) : (reference[2] as number);
    const below = points.filter((p) => (p[2] as number) <= level);
    volume += sweep2d(below, reference) * (top - level);
  });
  return volume;
}

/**
 * The hypervolume after each trial, given each trial's point (undefined for a trial that yielded none: failed,
 * or not measured), against one fixed reference.
 */
export function hypervolumeAfterEach(points: readonly (ObjectivePoint | undefined)[], reference: ObjectivePoint): number[] {
  let front: ObjectivePoint[] = [];
  let current = 0;
  return points.map((point) => {
    if (point !== undefined) {
      front = nonDominated([...front, point]);
      current = hypervolume(front, reference);
    }
    return current;
  });
}

/** How far past the worst value seen the reference point lies, per objective. */
export const REFERENCE_MARGIN = 0.1;

/**
 * The reference point: 1.1 × the worst value of each objective over the given points (the complete trials of
 * every study drawn together), so every measured point, the worst included, adds volume. Studies compared must
 * share it: a hypervolume means nothing against another reference. Undefined without points.
 */
export function referencePoint(points: readonly ObjectivePoint[]): number[] | undefined {
  if (points.length === 0) return undefined;
  return points[0]!.map((_, k) => {
    const worst = Math.max(...points.map((p) => p[k] as number));
    return worst + REFERENCE_MARGIN * Math.abs(worst);
  });
}

/**
 * The knee of a 2-D front: with each objective scaled to [0, 1] over the front, the point farthest from the line
 * through its two extremes on the side of the ideal point — where giving up a little of one objective buys the
 * most of the other. Its index in `front`; undefined for fewer than three points or a front with no bulge.
 */
export function kneeIndex(front: readonly ObjectivePoint[]): number | undefined {
  if (front.length < 3 || front.some((p) => p.length !== 2)) return undefined;
  const scaled = [0, 1].map((k) => {
    const values = front.map((p) => p[k] as number);
    const [low, high] = [Math.min(...values), Math.max(...values)];
    return values.map((v) => (high > low ? (v - low) / (high - low) : 0));
  });
  // Scaled, the extremes are (0, 1) and (1, 0): the line x + y = 1, and the ideal side is x + y < 1.
  let best: { index: number; distance: number } | undefined;
  front.forEach((_, i) => {
    const distance = (1 - (scaled[0]![i] as number) - (scaled[1]![i] as number)) / Math.SQRT2;
    if (distance > 1e-12 && (best === undefined || distance > best.distance)) best = { index: i, distance };
  });
  return best?.index;
}
