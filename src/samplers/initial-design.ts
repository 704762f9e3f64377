/**
 * The GP sampler's initial design, stratified over the *feasible* configurations. A box design (a Latin
 * hypercube) thinned by rejection collapses under product constraints: with replicas × cpus ≤ cores, most of
 * the box above one replica is infeasible, so repaired points all land at one replica. Here each parameter's
 * range is cut into strata of equal feasible mass (quantiles of a large quasi-random pool of feasible
 * configurations; a categorical's strata are its choices), and each design point is the untried pool member
 * whose strata the trials so far occupy least, ties going to the one farthest from them. The pool comes from
 * the seed alone, so the design depends only on the seed and the trials already made, as a resumed study needs.
 */
import { createRng } from '../random/rng.ts';
import { kindOf } from '../space/kinds/index.ts';
import type { Parameter } from '../space/parameter.ts';
import type { Params } from '../space/params.ts';
import { configurationKey, encode, type SearchSpace } from '../space/space.ts';
import { feasibleCandidates, squaredDistance } from './candidates.ts';

const POOL_SIZE = 512;

export class FeasibleDesign {
  private readonly pool: Params[];
  private readonly strataOf: (params: Params) => number[];

  constructor(
    private readonly space: SearchSpace,
    size: number,
    seed: number,
  ) {
    this.pool = feasibleCandidates(space, POOL_SIZE, createRng(seed).fork('feasible-design'), new Set());
    const boundaries = space.parameters.map((parameter) => {
      if (parameter.kind === 'categorical') return undefined;
      const positions = this.pool.map((params) => position(parameter, params)).sort((a, b) => a - b);
      return Array.from({ length: size - 1 }, (_, k) => positions[Math.floor(((k + 1) * positions.length) / size)] as number);
    });
    this.strataOf = (params) =>
      space.parameters.map((parameter, i) => {
        if (parameter.kind === 'categorical') return parameter.choices.indexOf(params[parameter.name] as string);
        const at = position(parameter, params);
        return (boundaries[i] as number[]).filter((boundary) => at > boundary).length;
      });
  }

  /**
   * The next design point given the configurations tried so far; undefined once the pool is exhausted.
   * `elsewhere`: configurations tried in other contexts of a shared model (a sweep's other load levels). They
   * count as occupying their strata, so the levels' designs spread over the space together rather than each
   * repeating the same first points, but they stay proposable here.
   */
  next(tried: readonly Params[], elsewhere: readonly Params[] = []): Params | undefined {
    const triedKeys = new Set(tried.map((params) => configurationKey(this.space, params)));
    const occupied = [...tried, ...elsewhere];
    const occupancy = new Map<string, number>();
    const key = (parameter: number, stratum: number) => `${parameter}:${stratum}`;
    for (const params of occupied) this.strataOf(params).forEach((stratum, p) => occupancy.set(key(p, stratum), (occupancy.get(key(p, stratum)) ?? 0) + 1));
    const triedPoints = occupied.map((params) => encode(this.space, params));
    let best: { params: Params; crowding: number; gap: number } | undefined;
    for (const params of this.pool) {
      if (triedKeys.has(configurationKey(this.space, params))) continue;
      const crowding = this.strataOf(params).reduce((sum, stratum, p) => sum + (occupancy.get(key(p, stratum)) ?? 0), 0);
      const point = encode(this.space, params);
      const gap = Math.min(Infinity, ...triedPoints.map((other) => squaredDistance(point, other)));
      if (best === undefined || crowding < best.crowding || (crowding === best.crowding && gap > best.gap)) best = { params, crowding, gap };
    }
    return best?.params;
  }
}

/** A numeric parameter's unit coordinate in a configuration. */
function position(parameter: Parameter, params: Params): number {
  return kindOf(parameter).encode(parameter, params[parameter.name] as number)[0] as number;
}
