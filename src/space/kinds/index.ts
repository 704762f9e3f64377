/** Looks up the module that owns a parameter kind. */
import type { Parameter, ParameterKind, ParameterKindName } from '../parameter.ts';
import { categoricalKind } from './categorical.ts';
import { floatKind } from './float.ts';
import { intKind } from './int.ts';
import { pow2Kind } from './pow2.ts';

const KINDS: { [K in ParameterKindName]: ParameterKind<Extract<Parameter, { kind: K }>> } = {
  float: floatKind,
  int: intKind,
  pow2: pow2Kind,
  categorical: categoricalKind,
};

export const KIND_NAMES = Object.keys(KINDS) as ParameterKindName[];

export function isKindName(name: string): name is ParameterKindName {
  return Object.hasOwn(KINDS, name);
}

/** The kind module for a parameter, typed loosely so callers can treat every parameter alike. */
export function kindOf(parameter: Parameter): ParameterKind<Parameter> {
  return kindNamed(parameter.kind);
}

export function kindNamed(name: ParameterKindName): ParameterKind<Parameter> {
  return KINDS[name] as ParameterKind<Parameter>;
}
