/**
 * The parameter kinds of a search space and the contract each kind module fulfils. Every kind owns how its
 * values map to the unit cube (what the Gaussian process sees), how they are drawn, checked and parsed.
 */
import type { Rng } from '../random/rng.ts';
import type { FieldReader } from './fields.ts';
import type { ParamValue } from './params.ts';

interface ParameterBase {
  readonly name: string;
  readonly description?: string;
}

/** A real number; `log` spaces it evenly in log scale, `step` snaps values to low + k * step. */
export interface FloatParameter extends ParameterBase {
  readonly kind: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step?: number;
  readonly default: number;
}

/** An integer low, low + step, ..., up to high; `log` (step 1 only) spaces values evenly in log scale. */
export interface IntParameter extends ParameterBase {
  readonly kind: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
  readonly default: number;
}

/** A power of two between low and high, both powers of two (e.g. batch sizes 1..64). */
export interface Pow2Parameter extends ParameterBase {
  readonly kind: 'pow2';
  readonly low: number;
  readonly high: number;
  readonly default: number;
}

/** One of a list of strings, encoded one-hot. */
export interface CategoricalParameter extends ParameterBase {
  readonly kind: 'categorical';
  readonly choices: readonly string[];
  readonly default: string;
}

export type Parameter = FloatParameter | IntParameter | Pow2Parameter | CategoricalParameter;
export type ParameterKindName = Parameter['kind'];
export type NumericParameter = Exclude<Parameter, CategoricalParameter>;

export interface ParameterKind<P extends Parameter> {
  /** Keys a file may give for this kind, besides name, kind, default and description. */
  readonly keys: readonly string[];
  /** Builds the parameter from its file entry; throws SpaceError (via the reader) when invalid. */
  parse(fields: FieldReader, name: string, description: string | undefined): P;
  /** How many unit-cube coordinates the parameter takes. */
  width(parameter: P): number;
  encode(parameter: P, value: ParamValue): number[];
  /** Any point of [0, 1]^width decodes to a valid value (rounded to the kind's grid). */
  decode(parameter: P, unit: readonly number[]): ParamValue;
  sample(parameter: P, rng: Rng): ParamValue;
  contains(parameter: P, value: ParamValue): boolean;
  /** Up to `count` values spread over the range, endpoints included (every choice for categoricals). */
  levels(parameter: P, count: number): ParamValue[];
}

export function clampUnit(u: number): number {
  return Math.min(1, Math.max(0, u));
}

/** Index in [0, count) of the equal-width cell of [0, 1] that contains u. */
export function cellIndex(u: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor(u * count)));
}

/** Unit coordinate of the centre of cell `index` of `count`. */
export function cellCentre(index: number, count: number): number {
  return (index + 0.5) / count;
}

/** `count` unit positions from 0 to 1 inclusive (0.5 alone for one level). */
export function spreadPositions(count: number): number[] {
  if (count <= 1) return [0.5];
  return Array.from({ length: count }, (_, i) => i / (count - 1));
}

export function uniqueValues<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
