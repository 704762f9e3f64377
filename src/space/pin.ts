/**
 * Holding some parameters at one value, e.g. { precision: 'int8' } to study one model variant: pinned
 * parameters leave the optimizer's cube but stay in every configuration and in constraint checks.
 */
import { show } from './fields.ts';
import { kindOf } from './kinds/index.ts';
import type { Params } from './params.ts';
import type { SearchSpace } from './space.ts';
import { SpaceError, type SpaceResult } from './space-error.ts';

export function pinParameters(space: SearchSpace, pins: Params): SpaceResult<SearchSpace> {
  for (const [name, value] of Object.entries(pins)) {
    const parameter = space.parameters.find((p) => p.name === name);
    if (parameter === undefined) {
      const known = space.parameters.map((p) => p.name).join(', ');
      return fail('pin_unknown_parameter', `${space.origin}: cannot pin "${name}": no such parameter (known: ${known})`);
    }
    if (!kindOf(parameter).contains(parameter, value)) {
      return fail('pin_out_of_range', `${space.origin}: cannot pin "${name}" to ${show(value)}: not a value the parameter allows`);
    }
  }
  return {
    ok: true,
    value: { ...space, parameters: space.parameters.filter((p) => pins[p.name] === undefined), pinned: { ...space.pinned, ...pins } },
  };
}

function fail(code: SpaceError['code'], message: string): SpaceResult<SearchSpace> {
  return { ok: false, error: new SpaceError(code, message) };
}
