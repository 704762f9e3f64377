/**
 * The GP sampler's initial design: greedy maximin. Each proposal is the feasible candidate farthest (in the
 * unit cube) from everything tried so far, which spreads the first trials like a space-filling design while
 * respecting constraints, the baseline, and a study rebuilt from storage.
 */
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { encode, type SearchSpace } from '../space/space.ts';
import { anyFeasible, feasibleCandidates, squaredDistance } from './candidates.ts';
import { triedKeys, type Observation } from './sampler.ts';

const CANDIDATES = 48;

export function farthestCandidate(space: SearchSpace, history: readonly Observation[], rng: Rng): Params {
  const tried = triedKeys(space, history);
  const candidates = feasibleCandidates(space, CANDIDATES, rng, tried);
  if (candidates.length === 0) return anyFeasible(space, rng, tried);
  const triedPoints = history.map((o) => encode(space, o.params));
  let best = candidates[0] as Params;
  let bestGap = -Infinity;
  for (const candidate of candidates) {
    const point = encode(space, candidate);
    const gap = Math.min(Infinity, ...triedPoints.map((other) => squaredDistance(point, other)));
    if (gap > bestGap) [best, bestGap] = [candidate, gap];
  }
  return best;
}
