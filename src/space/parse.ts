/**
 * Turning a search-space document into a SearchSpace, or one clear error line naming the file and the
 * parameter. See search-spaces/schema.json for the format.
 */
import { createRng } from '../random/rng.ts';
import { compileConstraint } from './constraint.ts';
import { FieldReader, isObject, show } from './fields.ts';
import { isKindName, KIND_NAMES, kindNamed } from './kinds/index.ts';
import type { Parameter } from './parameter.ts';
import { brokenConstraints, defaults, sampleUnconstrained, type Constraint, type SearchSpace } from './space.ts';
import { captureSpaceError, SpaceError, type SpaceResult } from './space-error.ts';

export type SpaceContext = Readonly<Record<string, number>>;

const TOP_KEYS = ['$schema', 'description', 'parameters', 'constraints'];
const COMMON_KEYS = ['name', 'kind', 'description', 'default'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Random configurations tried before declaring the constraints unsatisfiable. */
const SATISFIABILITY_SAMPLES = 5000;

export function parseSearchSpace(document: unknown, fileName: string, context: SpaceContext = {}): SpaceResult<SearchSpace> {
  return captureSpaceError(() => buildSpace(document, fileName, context));
}

function buildSpace(document: unknown, fileName: string, context: SpaceContext): SearchSpace {
  if (!isObject(document)) throw new SpaceError('not_an_object', `${fileName}: the file must hold a JSON object with "parameters", got ${show(document)}`);
  const top: FieldReader = new FieldReader(document, fileName);
  top.onlyKeys(TOP_KEYS);
  const entries = top.array('parameters');
  if (entries === undefined || entries.length === 0) top.fail('no_parameters', '"parameters" must list at least one parameter');
  const parameters = entries.map((entry, index) => parseParameter(entry, index, fileName));
  rejectDuplicateNames(parameters, fileName);
  const constraints = (top.array('constraints') ?? []).map((source) => compileConstraint(source, parameters, context, fileName));
  const description = top.optionalString('description');
  const space: SearchSpace = {
    origin: fileName,
    parameters,
    constraints,
    context,
    pinned: {},
    ...(description === undefined ? {} : { description }),
  };
  requireSatisfiable(space);
  requireFeasibleDefaults(space);
  return space;
}

function parseParameter(entry: unknown, index: number, fileName: string): Parameter {
  if (!isObject(entry)) throw new SpaceError('wrong_type', `${fileName}: parameter #${index + 1} must be an object, got ${show(entry)}`);
  const name = new FieldReader(entry, `${fileName}: parameter #${index + 1}`).string('name');
  const fields: FieldReader = new FieldReader(entry, `${fileName}: parameter "${name}"`);
  if (!NAME.test(name)) fields.fail('bad_name', 'the name must be letters, digits and underscores, not starting with a digit');
  const kindName = fields.string('kind');
  if (!isKindName(kindName)) fields.fail('unknown_kind', `unknown kind "${kindName}" (known: ${KIND_NAMES.join(', ')})`);
  const kind = kindNamed(kindName);
  fields.onlyKeys([...COMMON_KEYS, ...kind.keys]);
  return kind.parse(fields, name, fields.optionalString('description'));
}

function rejectDuplicateNames(parameters: readonly Parameter[], fileName: string): void {
  const seen = new Set<string>();
  for (const { name } of parameters) {
    if (seen.has(name)) throw new SpaceError('duplicate_name', `${fileName}: parameter "${name}" is defined more than once`);
    seen.add(name);
  }
}

/** Samples many configurations: if none is feasible, samplers could never propose anything. */
function requireSatisfiable(space: SearchSpace): void {
  if (space.constraints.length === 0) return;
  const rng = createRng('satisfiability');
  const neverHeld = new Set<Constraint>(space.constraints);
  for (let i = 0; i < SATISFIABILITY_SAMPLES; i++) {
    const broken = brokenConstraints(space, sampleUnconstrained(space, rng));
    if (broken.length === 0) return;
    for (const constraint of space.constraints) if (!broken.includes(constraint)) neverHeld.delete(constraint);
  }
  const culprit = [...neverHeld][0];
  const blame = culprit === undefined ? 'the constraints together' : `constraint "${culprit.source}"`;
  throw new SpaceError(
    'constraints_unsatisfiable',
    `${space.origin}: no configuration satisfies ${blame} (${SATISFIABILITY_SAMPLES} tried${contextNote(space)}); widen the ranges or relax the constraint`,
  );
}

function requireFeasibleDefaults(space: SearchSpace): void {
  const broken = brokenConstraints(space, defaults(space))[0];
  if (broken === undefined) return;
  throw new SpaceError('default_infeasible', `${space.origin}: the default configuration breaks constraint "${broken.source}"${contextNote(space, ' with')}; change a default`);
}

function contextNote(space: SearchSpace, lead = ';'): string {
  const entries = Object.entries(space.context);
  return entries.length === 0 ? '' : `${lead} ${entries.map(([key, value]) => `${key} = ${value}`).join(', ')}`;
}
