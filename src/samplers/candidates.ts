/** Feasible candidate configurations for samplers to choose among, and repairs of infeasible points. */
import { haltonPoints } from '../random/halton.ts';
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, decode, dimension, encode, isFeasible, sampleFeasible, type SearchSpace } from '../space/space.ts';
import { SamplerError } from './sampler-error.ts';

const MAX_ROUNDS = 8;

/**
 * Up to `count` distinct feasible, untried configurations from quasi-random points of the cube. When
 * constraints cut away much of the cube, more rounds of points are drawn, up to `MAX_ROUNDS` times `count`.
 */
export function feasibleCandidates(space: SearchSpace, count: number, rng: Rng, tried: ReadonlySet<string>): Params[] {
  const seen = new Set(tried);
  const found: Params[] = [];
  for (let round = 0; round < MAX_ROUNDS && found.length < count; round++) {
    for (const point of haltonPoints(count, dimension(space), rng)) {
      const params = decode(space, point);
      const key = configurationKey(space, params);
      if (seen.has(key) || !isFeasible(space, params)) continue;
      seen.add(key);
      found.push(params);
      if (found.length === count) break;
    }
  }
  return found;
}

/** Any feasible configuration, preferring untried ones; throws only if the constraints admit none. */
export function anyFeasible(space: SearchSpace, rng: Rng, tried: ReadonlySet<string>): Params {
  const fresh = feasibleCandidates(space, 64, rng, tried)[0];
  if (fresh !== undefined) return fresh;
  const params = sampleFeasible(space, rng);
  if (params === undefined) throw new SamplerError('no_feasible_configuration', `${space.origin}: no configuration satisfies the constraints; relax them`);
  return params;
}

/** The feasible untried configuration closest (in the unit cube) to `point`: how grid and LHS points are repaired. */
export function nearestFeasible(space: SearchSpace, point: readonly number[], rng: Rng, tried: ReadonlySet<string>): Params {
  const direct = decode(space, point);
  if (isFeasible(space, direct) && !tried.has(configurationKey(space, direct))) return direct;
  const candidates = feasibleCandidates(space, 64, rng, tried);
  if (candidates.length === 0) return anyFeasible(space, rng, tried);
  let best = candidates[0] as Params;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = squaredDistance(encode(space, candidate), point);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

export function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return sum;
}
