/**
 * Configurations one move away: each numeric parameter one grid value (or a small step, for continuous floats)
 * up or down, each categorical switched to every other choice. Moves happen in the parameter's own
 * coordinates and are decoded, so integers, powers of two and choices stay valid: the model is never asked
 * about a relaxed, unrunnable point.
 */
import { kindOf } from '../space/kinds/index.ts';
import type { Parameter } from '../space/parameter.ts';
import type { Params, ParamValue } from '../space/params.ts';
import type { SearchSpace } from '../space/space.ts';

/** Growing steps in unit coordinates: the first that changes the value wins (the next grid value). */
const STEPS = [0.01, 0.03, 0.1, 0.25];

export function neighbours(space: SearchSpace, params: Params): Params[] {
  return space.parameters.flatMap((parameter) => movedValues(parameter, params[parameter.name] as ParamValue).map((value) => ({ ...params, [parameter.name]: value })));
}

function movedValues(parameter: Parameter, value: ParamValue): ParamValue[] {
  const kind = kindOf(parameter);
  if (parameter.kind === 'categorical') return parameter.choices.filter((choice) => choice !== value);
  const [u] = kind.encode(parameter, value) as [number];
  const moved: ParamValue[] = [];
  for (const direction of [-1, 1]) {
    for (const step of STEPS) {
      const next = kind.decode(parameter, [u + direction * step]);
      if (next !== value) {
        moved.push(next);
        break;
      }
    }
  }
  return moved;
}
