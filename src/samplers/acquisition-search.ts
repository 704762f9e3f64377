/**
 * Maximising the acquisition over feasible, untried configurations, as BoTorch's mixed optimiser does: score
 * many quasi-random raw samples plus moves around the best trials; from the best few, climb the relaxed
 * acquisition by bounded L-BFGS over the numeric coordinates (categoricals held), round to the kinds' grids,
 * re-polish the continuous coordinates with the discrete ones fixed, then hill-climb through one-move
 * neighbours (which is how categoricals and discrete steps move). Constraints hold throughout: an infeasible
 * point counts as infinitely bad, so line searches shorten their steps before crossing a constraint.
 */
import { minimize } from '../gp/lbfgs.ts';
import type { Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, coordinateRoles, decode, encode, isFeasible, type CoordinateRole, type SearchSpace } from '../space/space.ts';
import { feasibleCandidates } from './candidates.ts';
import { neighbours } from './neighbours.ts';

const PERTURBATION_SCALES = [0.02, 0.05, 0.1, 0.2];
/** Random moves tried in each hill-climbing round besides the one-parameter moves (which alone zig-zag slowly). */
const CLIMB_PERTURBATIONS = 8;
const GRADIENT_ITERATIONS = 40;

/** A log acquisition over the configuration cube; higher is better. */
export interface Acquisition {
  values(points: readonly (readonly number[])[]): number[];
  withGradient(point: readonly number[]): { value: number; gradient: number[] };
}

export interface SearchSettings {
  /** Quasi-random raw samples over the whole space. */
  candidates: number;
  /** Random perturbations around each seed (the best trials so far). */
  perturbations: number;
  /** Raw samples the gradient climbs start from. */
  starts: number;
  climbRounds: number;
}

export interface Scored {
  params: Params;
  score: number;
}

/**
 * `anchor`: a configuration the search must also climb from (one of the seeds): besides the best raw samples, the
 * best of its one-move neighbours starts a climb, so a region the acquisition favours for a reason its gradient
 * does not see (cheap moves near what is deployed) is searched even when no raw sample there ranks high. That
 * climb is also polished with only the coordinates it changed from the anchor free: it can then go far along
 * them while every other parameter keeps the anchor's value, where the one-move climb would take small steps.
 */
export function maximizeAcquisition(
  space: SearchSpace,
  acquisition: Acquisition,
  seeds: readonly Params[],
  tried: ReadonlySet<string>,
  rng: Rng,
  settings: SearchSettings,
  anchor?: Params,
): Scored | undefined {
  const fresh = (params: Params) => isFeasible(space, params) && !tried.has(configurationKey(space, params));
  const score = (configurations: readonly Params[]) => scoreAll(configurations, acquisition, space);
  const local = seeds.flatMap((seed) => [...neighbours(space, seed), ...perturbations(space, seed, rng, settings.perturbations)]);
  const pool = unique(space, [...feasibleCandidates(space, settings.candidates, rng, tried), ...local.filter(fresh)]);
  if (pool.length === 0) return undefined;
  const ranked = score(pool).sort((a, b) => b.score - a.score);
  const roles = coordinateRoles(space);
  let best = ranked[0] as Scored;
  const starts = ranked.slice(0, settings.starts);
  const nearAnchor = anchor === undefined ? undefined : bestNeighbour(space, anchor, ranked);
  if (nearAnchor !== undefined && !starts.includes(nearAnchor)) starts.push(nearAnchor);
  for (const start of starts) {
    const alongAnchor = anchor !== undefined && start === nearAnchor ? gradientPolish(space, acquisition, roles, start.params, changedFrom(space, anchor, start.params)) : [];
    const polished = [...gradientPolish(space, acquisition, roles, start.params), ...alongAnchor].filter(fresh);
    const climbFrom = [start, ...score(polished)].reduce((a, b) => (b.score > a.score ? b : a));
    const top = climb(space, climbFrom, score, fresh, rng, settings.climbRounds);
    if (top.score > best.score) best = top;
  }
  return best;
}

/**
 * Gradient ascent on the relaxed acquisition from a configuration: first every numeric coordinate, then
 * (after rounding) the continuous ones alone; only the coordinates marked `movable` (all by default). Returns the
 * rounded configurations reached.
 */
function gradientPolish(space: SearchSpace, acquisition: Acquisition, roles: readonly CoordinateRole[], start: Params, movable?: readonly boolean[]): Params[] {
  const free = (i: number) => movable === undefined || movable[i] === true;
  const numeric = roles.map((role, i) => role !== 'categorical' && free(i));
  const relaxed = decode(space, ascend(space, acquisition, encode(space, start), numeric));
  if (!roles.includes('continuous') || !roles.includes('discrete')) return [relaxed];
  const continuous = roles.map((role, i) => role === 'continuous' && free(i));
  return [relaxed, decode(space, ascend(space, acquisition, encode(space, relaxed), continuous))];
}

/** Bounded L-BFGS on the coordinates marked free; the others stay at the start's values. */
function ascend(space: SearchSpace, acquisition: Acquisition, start: readonly number[], free: readonly boolean[]): number[] {
  const indices = free.flatMap((isFree, i) => (isFree ? [i] : []));
  if (indices.length === 0) return [...start];
  const pointOf = (coordinates: readonly number[]) => {
    const point = [...start];
    indices.forEach((index, k) => (point[index] = coordinates[k] as number));
    return point;
  };
  const objective = (coordinates: readonly number[]) => {
    const point = pointOf(coordinates);
    if (!isFeasible(space, decode(space, point))) return { value: Infinity, gradient: coordinates.map(() => 0) };
    const { value, gradient } = acquisition.withGradient(point);
    return Number.isFinite(value) ? { value: -value, gradient: indices.map((index) => -(gradient[index] as number)) } : { value: Infinity, gradient: coordinates.map(() => 0) };
  };
  const bounds = { lower: indices.map(() => 0), upper: indices.map(() => 1) };
  return pointOf(minimize(objective, indices.map((index) => start[index] as number), { maxIterations: GRADIENT_ITERATIONS, bounds, tolerance: 1e-7 }).x);
}

function climb(space: SearchSpace, start: Scored, score: (configurations: readonly Params[]) => Scored[], fresh: (params: Params) => boolean, rng: Rng, rounds: number): Scored {
  let current = start;
  for (let round = 0; round < rounds; round++) {
    const moves = [...neighbours(space, current.params), ...perturbations(space, current.params, rng, CLIMB_PERTURBATIONS)].filter(fresh);
    if (moves.length === 0) break;
    const bestMove = score(moves).reduce((a, b) => (b.score > a.score ? b : a));
    if (!(bestMove.score > current.score)) break;
    current = bestMove;
  }
  return current;
}

/** Which coordinates of the encoded `params` differ from the encoded `anchor`. */
function changedFrom(space: SearchSpace, anchor: Params, params: Params): boolean[] {
  const from = encode(space, anchor);
  return encode(space, params).map((u, i) => u !== from[i]);
}

/** The best-ranked of the configurations one move from `anchor` (a seed, so its neighbours are in the pool). */
function bestNeighbour(space: SearchSpace, anchor: Params, ranked: readonly Scored[]): Scored | undefined {
  const keys = new Set(neighbours(space, anchor).map((params) => configurationKey(space, params)));
  return ranked.find((candidate) => keys.has(configurationKey(space, candidate.params)));
}

/** Gaussian moves of every coordinate at a few scales: EI's maximum is often close to the incumbent. */
function perturbations(space: SearchSpace, seed: Params, rng: Rng, count: number): Params[] {
  const centre = encode(space, seed);
  return Array.from({ length: count }, (_, i) => {
    const scale = PERTURBATION_SCALES[i % PERTURBATION_SCALES.length] as number;
    return decode(space, centre.map((u) => u + scale * rng.normal()));
  });
}

function scoreAll(configurations: readonly Params[], acquisition: Acquisition, space: SearchSpace): Scored[] {
  const scores = acquisition.values(encodeAll(space, configurations));
  return configurations.map((params, i) => ({ params, score: Number.isNaN(scores[i]) ? -Infinity : (scores[i] as number) }));
}

function unique(space: SearchSpace, configurations: readonly Params[]): Params[] {
  const byKey = new Map(configurations.map((params) => [configurationKey(space, params), params]));
  return [...byKey.values()];
}

export function encodeAll(space: SearchSpace, configurations: readonly Params[]): number[][] {
  return configurations.map((params) => encode(space, params));
}
