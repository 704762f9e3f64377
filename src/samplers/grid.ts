/**
 * Grid search: the full factorial of each parameter's levels (numeric parameters get `levels` values spread
 * over their range, endpoints included; categoricals every choice). Points are visited in a fixed scrambled
 * order (a stride coprime with the grid size) so that a budget smaller than the grid still covers it evenly
 * rather than sweeping one corner; infeasible and tried points are skipped.
 */
import type { Rng } from '../random/rng.ts';
import { kindOf } from '../space/kinds/index.ts';
import type { Params, ParamValue } from '../space/params.ts';
import { configurationKey, isFeasible, type SearchSpace } from '../space/space.ts';
import { anyFeasible } from './candidates.ts';
import { triedKeys, type Observation, type Sampler } from './sampler.ts';

export const DEFAULT_GRID_LEVELS = 3;

export class GridSampler implements Sampler {
  readonly name = 'grid';
  constructor(private readonly levels = DEFAULT_GRID_LEVELS) {}

  suggest(space: SearchSpace, history: readonly Observation[], rng: Rng): Params {
    const axes = gridAxes(space, this.levels);
    const size = axes.reduce((product, axis) => product * axis.values.length, 1);
    const stride = coprimeStride(size);
    const tried = triedKeys(space, history);
    for (let k = 0; k < size; k++) {
      const params = gridPoint(space, axes, (k * stride) % size);
      if (isFeasible(space, params) && !tried.has(configurationKey(space, params))) return params;
    }
    return anyFeasible(space, rng, tried); // grid exhausted
  }
}

/** Number of grid points before constraints are applied. */
export function gridSize(space: SearchSpace, levels = DEFAULT_GRID_LEVELS): number {
  return gridAxes(space, levels).reduce((product, axis) => product * axis.values.length, 1);
}

interface Axis {
  name: string;
  values: ParamValue[];
}

function gridAxes(space: SearchSpace, levels: number): Axis[] {
  return space.parameters.map((p) => ({ name: p.name, values: kindOf(p).levels(p, levels) }));
}

/** Mixed-radix decoding of a grid index. */
function gridPoint(space: SearchSpace, axes: readonly Axis[], index: number): Params {
  const params: Record<string, ParamValue> = {};
  let rest = index;
  for (const axis of axes) {
    params[axis.name] = axis.values[rest % axis.values.length] as ParamValue;
    rest = Math.floor(rest / axis.values.length);
  }
  return { ...params, ...space.pinned };
}

/** A stride near size / golden ratio sharing no factor with size, so k * stride mod size visits every index. */
function coprimeStride(size: number): number {
  if (size <= 2) return 1;
  for (let stride = Math.round(size / 1.618034); stride > 1; stride--) if (gcd(stride, size) === 1) return stride;
  return 1;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
