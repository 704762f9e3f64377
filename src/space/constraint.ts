/** Compiling constraint strings against the parameters and context values they may name. */
import { namesIn, parseComparison } from './expression.ts';
import type { Parameter } from './parameter.ts';
import type { Constraint } from './space.ts';
import { SpaceError } from './space-error.ts';

export function compileConstraint(
  source: unknown,
  parameters: readonly Parameter[],
  context: Readonly<Record<string, number>>,
  where: string,
): Constraint {
  if (typeof source !== 'string') throw new SpaceError('wrong_type', `${where}: every constraint must be a string`);
  const parsed = parseComparison(source);
  if (!parsed.ok) throw new SpaceError('constraint_syntax', `${where}: constraint "${source}": ${parsed.message}`);
  for (const name of namesIn(parsed.comparison)) {
    const parameter = parameters.find((p) => p.name === name);
    if (parameter?.kind === 'categorical') {
      throw new SpaceError('constraint_categorical', `${where}: constraint "${source}" uses categorical parameter "${name}"; constraints can only use numeric parameters`);
    }
    if (parameter === undefined && context[name] === undefined) {
      const known = [...parameters.filter((p) => p.kind !== 'categorical').map((p) => p.name), ...Object.keys(context)];
      throw new SpaceError('constraint_unknown_name', `${where}: constraint "${source}" uses unknown name "${name}" (known: ${known.join(', ')})`);
    }
  }
  return { source, comparison: parsed.comparison };
}
