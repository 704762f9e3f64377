/**
 * A search space: parameters, constraints across them, the context values constraints may read (such as
 * host_cores) and parameters pinned to one value. Functions here move configurations to and from the unit cube
 * (the optimizer's coordinates) and decide feasibility; the parameter kinds do the per-parameter work.
 */
import type { Rng } from '../random/rng.ts';
import { holds, type Comparison } from './expression.ts';
import { kindOf } from './kinds/index.ts';
import type { Parameter } from './parameter.ts';
import type { Params, ParamValue } from './params.ts';

export interface Constraint {
  readonly source: string;
  readonly comparison: Comparison;
}

export interface SearchSpace {
  /** Where the space came from (a file name), for messages. */
  readonly origin: string;
  readonly description?: string;
  /** The parameters the optimizer varies. */
  readonly parameters: readonly Parameter[];
  readonly constraints: readonly Constraint[];
  /** Values constraints may name besides parameters, e.g. { host_cores: 2 }. */
  readonly context: Readonly<Record<string, number>>;
  /** Parameters held at one value (see pinParameters): part of every configuration, not of the cube. */
  readonly pinned: Params;
}

/** Number of unit-cube coordinates (categoricals count once per choice). */
export function dimension(space: SearchSpace): number {
  return space.parameters.reduce((total, p) => total + kindOf(p).width(p), 0);
}

/**
 * What each unit-cube coordinate is to an optimiser working in the cube: a continuous float, a discrete
 * numeric value (int, power of two, stepped float; relaxed while optimising, then rounded) or one slot of a
 * categorical's one-hot block (never relaxed).
 */
export type CoordinateRole = 'continuous' | 'discrete' | 'categorical';

export function coordinateRoles(space: SearchSpace): CoordinateRole[] {
  return space.parameters.flatMap((p): CoordinateRole[] => {
    if (p.kind === 'categorical') return Array<CoordinateRole>(kindOf(p).width(p)).fill('categorical');
    return [p.kind === 'float' && p.step === undefined ? 'continuous' : 'discrete'];
  });
}

export function encode(space: SearchSpace, params: Params): number[] {
  return space.parameters.flatMap((p) => kindOf(p).encode(p, valueOf(params, p)));
}

/** Any point of the cube decodes to a valid (not necessarily feasible) configuration. */
export function decode(space: SearchSpace, point: readonly number[]): Params {
  const params: Record<string, ParamValue> = {};
  let offset = 0;
  for (const p of space.parameters) {
    const kind = kindOf(p);
    const width = kind.width(p);
    params[p.name] = kind.decode(p, point.slice(offset, offset + width));
    offset += width;
  }
  return { ...params, ...space.pinned };
}

/** A point on the kinds' grids: decode then encode, so a model sees only values that can really be run. */
export function roundPoint(space: SearchSpace, point: readonly number[]): number[] {
  return encode(space, decode(space, point));
}

/** Every parameter drawn independently; constraints are not applied (see sampleFeasible). */
export function sampleUnconstrained(space: SearchSpace, rng: Rng): Params {
  const params: Record<string, ParamValue> = {};
  for (const p of space.parameters) params[p.name] = kindOf(p).sample(p, rng);
  return { ...params, ...space.pinned };
}

/** Rejection sampling; undefined only if `attempts` draws all broke a constraint. */
export function sampleFeasible(space: SearchSpace, rng: Rng, attempts = 10_000): Params | undefined {
  for (let i = 0; i < attempts; i++) {
    const params = sampleUnconstrained(space, rng);
    if (isFeasible(space, params)) return params;
  }
  return undefined;
}

export function defaults(space: SearchSpace): Params {
  const params: Record<string, ParamValue> = {};
  for (const p of space.parameters) params[p.name] = p.default;
  return { ...params, ...space.pinned };
}

/** The constraints a configuration breaks (empty when feasible). */
export function brokenConstraints(space: SearchSpace, params: Params): Constraint[] {
  const values = numericValues(space, params);
  return space.constraints.filter((constraint) => !holds(constraint.comparison, values));
}

export function isFeasible(space: SearchSpace, params: Params): boolean {
  return brokenConstraints(space, params).length === 0;
}

/** Every parameter present with a value its kind allows, and every constraint holds. */
export function isValidConfiguration(space: SearchSpace, params: Params): boolean {
  return space.parameters.every((p) => params[p.name] !== undefined && kindOf(p).contains(p, valueOf(params, p))) && isFeasible(space, params);
}

/** A stable identity for a configuration, to recognise one already measured. */
export function configurationKey(space: SearchSpace, params: Params): string {
  return JSON.stringify(space.parameters.map((p) => params[p.name] ?? null));
}

function numericValues(space: SearchSpace, params: Params): Record<string, number> {
  const values: Record<string, number> = { ...space.context };
  for (const [name, value] of Object.entries(params)) if (typeof value === 'number') values[name] = value;
  return values;
}

function valueOf(params: Params, parameter: Parameter): ParamValue {
  const value = params[parameter.name];
  if (value === undefined) throw new RangeError(`configuration has no value for parameter "${parameter.name}"`);
  return value;
}
