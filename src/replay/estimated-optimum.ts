/**
 * The lowest value a replay's surrogate answers anywhere in the space: what a benchmark's regret is measured from.
 * It is an estimate, not a proof: the lowest truth over the measured configurations and a large seeded sample of
 * feasible ones, each of the best few then improved by one-move descent (every numeric knob one grid step, every
 * categorical every other choice) until no move lowers it. A configuration the surrogate fails at never counts.
 */
import type { Rng } from '../random/rng.ts';
import { neighbours } from '../samplers/neighbours.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, isFeasible, sampleFeasible, type SearchSpace } from '../space/space.ts';

export interface Optimum {
  value: number;
  params: Params;
}

export interface OptimumSearch {
  /** Feasible configurations drawn at random besides the measured ones. */
  samples: number;
  /** How many of the best distinct configurations found are refined by descent. */
  refined: number;
}

export const DEFAULT_OPTIMUM_SEARCH: OptimumSearch = { samples: 20_000, refined: 10 };

/** Undefined only when the surrogate fails at every configuration looked at. */
export function estimateOptimum(
  space: SearchSpace,
  truth: (params: Params) => number | undefined,
  measured: readonly Params[],
  rng: Rng,
  search: OptimumSearch = DEFAULT_OPTIMUM_SEARCH,
): Optimum | undefined {
  const sampled = Array.from({ length: search.samples }, () => sampleFeasible(space, rng)).filter((p): p is Params => p !== undefined);
  const found = new Map<string, Optimum>();
  for (const params of [...measured, ...sampled]) {
    const value = truth(params);
    if (value !== undefined) found.set(configurationKey(space, params), { value, params });
  }
  const starts = [...found.values()].sort((a, b) => a.value - b.value).slice(0, search.refined);
  return starts.map((start) => descend(space, truth, start)).reduce<Optimum | undefined>((best, o) => (best === undefined || o.value < best.value ? o : best), undefined);
}

/** Steepest one-move descent among feasible configurations the surrogate answers. */
function descend(space: SearchSpace, truth: (params: Params) => number | undefined, start: Optimum): Optimum {
  let current = start;
  for (;;) {
    let next = current;
    for (const params of neighbours(space, current.params)) {
      if (!isFeasible(space, params)) continue;
      const value = truth(params);
      if (value !== undefined && value < next.value) next = { value, params };
    }
    if (next === current) return current;
    current = next;
  }
}
