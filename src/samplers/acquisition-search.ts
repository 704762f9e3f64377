/**
 * Maximising the acquisition over feasible, untried configurations: score many quasi-random candidates plus
 * neighbours of the best trials, then hill-climb from the top few through one-move neighbours.
 */
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, encode, isFeasible, type SearchSpace } from '../space/space.ts';
import { feasibleCandidates } from './candidates.ts';
import { neighbours } from './neighbours.ts';

/** log acquisition of each configuration; higher is better. */
export type Acquisition = (configurations: readonly Params[]) => number[];

export interface SearchSettings {
  candidates: number;
  climbs: number;
  climbRounds: number;
}

export interface Scored {
  params: Params;
  score: number;
}

export function maximizeAcquisition(
  space: SearchSpace,
  acquisition: Acquisition,
  seeds: readonly Params[],
  tried: ReadonlySet<string>,
  rng: Rng,
  settings: SearchSettings,
): Scored | undefined {
  const fresh = (params: Params) => isFeasible(space, params) && !tried.has(configurationKey(space, params));
  const pool = unique(space, [...feasibleCandidates(space, settings.candidates, rng, tried), ...seeds.flatMap((s) => neighbours(space, s)).filter(fresh)]);
  if (pool.length === 0) return undefined;
  const scored = scoreAll(pool, acquisition).sort((a, b) => b.score - a.score);
  let best = scored[0] as Scored;
  for (const start of scored.slice(0, settings.climbs)) {
    const top = climb(space, start, acquisition, fresh, settings.climbRounds);
    if (top.score > best.score) best = top;
  }
  return best;
}

function climb(space: SearchSpace, start: Scored, acquisition: Acquisition, fresh: (params: Params) => boolean, rounds: number): Scored {
  let current = start;
  for (let round = 0; round < rounds; round++) {
    const moves = neighbours(space, current.params).filter(fresh);
    if (moves.length === 0) break;
    const bestMove = scoreAll(moves, acquisition).reduce((a, b) => (b.score > a.score ? b : a));
    if (!(bestMove.score > current.score)) break;
    current = bestMove;
  }
  return current;
}

function scoreAll(configurations: readonly Params[], acquisition: Acquisition): Scored[] {
  const scores = acquisition(configurations);
  return configurations.map((params, i) => ({ params, score: Number.isNaN(scores[i]) ? -Infinity : (scores[i] as number) }));
}

function unique(space: SearchSpace, configurations: readonly Params[]): Params[] {
  const byKey = new Map(configurations.map((params) => [configurationKey(space, params), params]));
  return [...byKey.values()];
}

export function encodeAll(space: SearchSpace, configurations: readonly Params[]): number[][] {
  return configurations.map((params) => encode(space, params));
}
