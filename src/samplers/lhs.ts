/**
 * Latin hypercube sampling: `size` points such that, along every cube coordinate, each of `size` equal slices
 * holds exactly one point. The design is drawn once from the seed (so the k-th proposal of a study is the same
 * whether or not it was rebuilt from storage); proposal k is design point k. Points that break a constraint or
 * repeat a tried configuration are replaced by the nearest feasible untried one; past the design, random.
 */
import { createRng, shuffled, type Rng } from '../random/rng.ts';
import type { Params } from '../space/params.ts';
import { dimension, type SearchSpace } from '../space/space.ts';
import { anyFeasible, nearestFeasible } from './candidates.ts';
import { triedKeys, type Observation, type Sampler } from './sampler.ts';

export interface LhsOptions {
  /** Design size; the study's budget. */
  size?: number;
  seed?: number;
}

export class LhsSampler implements Sampler {
  readonly name = 'lhs';
  private readonly size: number;
  private readonly seed: number;

  constructor(options: LhsOptions = {}) {
    this.size = Math.max(1, options.size ?? 50);
    this.seed = options.seed ?? 0;
  }

  suggest(space: SearchSpace, history: readonly Observation[], rng: Rng): Params {
    const tried = triedKeys(space, history);
    const point = latinHypercube(this.size, dimension(space), createRng(this.seed).fork('lhs'))[history.length];
    return point === undefined ? anyFeasible(space, rng, tried) : nearestFeasible(space, point, rng, tried);
  }
}

export function latinHypercube(size: number, dimensions: number, rng: Rng): number[][] {
  const columns = Array.from({ length: dimensions }, () =>
    shuffled(Array.from({ length: size }, (_, i) => i), rng).map((slice) => (slice + rng.next()) / size),
  );
  return Array.from({ length: size }, (_, i) => columns.map((column) => column[i] as number));
}
