/**
 * Maximising the acquisition over feasible, untried configurations: score many quasi-random candidates plus
 * neighbours of the best trials, then hill-climb from the top few through one-move neighbours.
 */
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, decode, encode, isFeasible, type SearchSpace } from '../space/space.ts';
import { feasibleCandidates } from './candidates.ts';
import { neighbours } from './neighbours.ts';

const PERTURBATION_SCALES = [0.02, 0.05, 0.1, 0.2];
/** Random moves tried in each hill-climbing round besides the one-parameter moves (which alone zig-zag slowly). */
const CLIMB_PERTURBATIONS = 8;

/** log acquisition of each configuration; higher is better. */
export type Acquisition = (configurations: readonly Params[]) => number[];

export interface SearchSettings {
  /** Quasi-random candidates over the whole space. */
  candidates: number;
  /** Random perturbations around each seed (the best trials so far). */
  perturbations: number;
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
  const local = seeds.flatMap((seed) => [...neighbours(space, seed), ...perturbations(space, seed, rng, settings.perturbations)]);
  const pool = unique(space, [...feasibleCandidates(space, settings.candidates, rng, tried), ...local.filter(fresh)]);
  if (pool.length === 0) return undefined;
  const scored = scoreAll(pool, acquisition).sort((a, b) => b.score - a.score);
  let best = scored[0] as Scored;
  for (const start of scored.slice(0, settings.climbs)) {
    const top = climb(space, start, acquisition, fresh, rng, settings.climbRounds);
    if (top.score > best.score) best = top;
  }
  return best;
}

function climb(space: SearchSpace, start: Scored, acquisition: Acquisition, fresh: (params: Params) => boolean, rng: Rng, rounds: number): Scored {
  let current = start;
  for (let round = 0; round < rounds; round++) {
    const moves = [...neighbours(space, current.params), ...perturbations(space, current.params, rng, CLIMB_PERTURBATIONS)].filter(fresh);
    if (moves.length === 0) break;
    const bestMove = scoreAll(moves, acquisition).reduce((a, b) => (b.score > a.score ? b : a));
    if (!(bestMove.score > current.score)) break;
    current = bestMove;
  }
  return current;
}

/** Gaussian moves of every coordinate at a few scales: EI's maximum is often close to the incumbent. */
function perturbations(space: SearchSpace, seed: Params, rng: Rng, count: number): Params[] {
  const centre = encode(space, seed);
  return Array.from({ length: count }, (_, i) => {
    const scale = PERTURBATION_SCALES[i % PERTURBATION_SCALES.length] as number;
    return decode(space, centre.map((u) => u + scale * rng.normal()));
  });
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
