/** Pareto fronts for trade-off plots (pure). Every objective is minimised. */

export type ObjectiveOf<T> = (point: T) => number;

/** True when `a` is no worse than `b` on every objective and strictly better on at least one. */
export function dominates<T>(a: T, b: T, objectives: readonly ObjectiveOf<T>[]): boolean {
  let strictlyBetter = false;
  for (const objective of objectives) {
    const [va, vb] = [objective(a), objective(b)];
    if (va > vb) return false;
    if (va < vb) strictlyBetter = true;
  }
  return strictlyBetter;
}

/** The points no other point dominates, in input order. Points with a non-finite objective are never on it. */
export function paretoFront<T>(points: readonly T[], objectives: readonly ObjectiveOf<T>[]): T[] {
  const finite = points.filter((p) => objectives.every((objective) => Number.isFinite(objective(p))));
  return finite.filter((candidate) => !finite.some((other) => dominates(other, candidate, objectives)));
}
