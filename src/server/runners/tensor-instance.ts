/**
 * Parses one tensor-kind instance, {"<input>": <one item's nested array>, ...} with every input present, into
 * typed arrays in the graph's element types. A flat array is taken for an input whose item shape is fully fixed;
 * a dynamic dim takes the instance's own size. Pure, so it is tested without a model, and the load side checks a
 * recorded workload with it before the first trial.
 */
import type { TensorManifest, TensorSpec } from '../../models/manifest.ts';
import { allocate, expectedValue, store, type TensorData } from '../../models/tensor-dtypes.ts';
import { describeItemShape, nestedShape, warmUpShape } from '../../models/tensor-spec.ts';
import { fail, succeed, type Outcome } from '../api-error.ts';
import { typeName } from './image-instance.ts';

export interface TensorFeed {
  data: TensorData;
  shape: number[]; // one item's: no batch dim
}

export interface TensorItem {
  /** Every input's item shape: items with the same key run in one ONNX Runtime call. */
  key: string;
  inputs: TensorFeed[]; // in the manifest's input order
}

export function parseTensorInstance(instance: unknown, manifest: Pick<TensorManifest, 'inputs'>): Outcome<TensorItem> {
  const names = manifest.inputs.map((spec) => spec.name);
  if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) {
    return fail('wrong_type', `a tensor instance must be an object with its inputs ${names.map((n) => `"${n}"`).join(', ')}, got ${typeName(instance)}`);
  }
  const fields = instance as Record<string, unknown>;
  const stranger = Object.keys(fields).find((key) => !names.includes(key));
  if (stranger !== undefined) return fail('bad_instances', `"${stranger}" is not an input of the model: its inputs are ${names.join(', ')}`);
  const inputs: TensorFeed[] = [];
  for (const spec of manifest.inputs) {
    if (!(spec.name in fields)) return fail('bad_instances', `the instance lacks input "${spec.name}" (${describeSpec(spec)})`);
    const feed = parseInput(fields[spec.name], spec);
    if (!feed.ok) return feed;
    inputs.push(feed.value);
  }
  return succeed({ key: inputs.map((input) => input.shape.join('x')).join(';'), inputs });
}

/** An item of zeros of each input's warm-up shape. */
export function zeroTensorItem(manifest: Pick<TensorManifest, 'inputs' | 'warmUpShapes'>): TensorItem {
  const inputs = manifest.inputs.map((spec) => {
    const shape = warmUpShape(manifest, spec);
    return { data: allocate(spec.dtype, elementCount(shape)), shape };
  });
  return { key: inputs.map((input) => input.shape.join('x')).join(';'), inputs };
}

function parseInput(value: unknown, spec: TensorSpec): Outcome<TensorFeed> {
  const fixed = spec.shape.every((dim): dim is number => dim !== null) ? (spec.shape as number[]) : undefined;
  if (fixed !== undefined && fixed.length > 1 && Array.isArray(value) && value.length === elementCount(fixed) && !Array.isArray(value[0])) {
    return fillFlat(value, spec, fixed);
  }
  const shape = nestedShape(value);
  const fits = shape.length === spec.shape.length && spec.shape.every((dim, i) => (dim === null ? (shape[i] as number) > 0 : dim === shape[i]));
  if (!fits) return fail('wrong_shape', `input "${spec.name}" must be ${describeSpec(spec)} (one item, no batch dim), got ${describeGot(value, shape)}`);
  const data = allocate(spec.dtype, elementCount(shape));
  const problem = fillNested(value, spec, shape, data);
  return problem === undefined ? succeed({ data, shape }) : problem;
}

function fillFlat(values: unknown[], spec: TensorSpec, shape: number[]): Outcome<TensorFeed> {
  const data = allocate(spec.dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    if (!store(data, spec.dtype, i, values[i])) return badValue(spec, `[${i}]`, values[i]);
  }
  return succeed({ data, shape });
}

/** Walks the nested arrays row by row, checking each is as long as the first of its level said. */
function fillNested(value: unknown, spec: TensorSpec, shape: number[], data: TensorData): Outcome<never> | undefined {
  let offset = 0;
  const walk = (level: unknown, depth: number, at: number[]): Outcome<never> | undefined => {
    if (depth === shape.length) {
      if (!store(data, spec.dtype, offset, level)) return badValue(spec, at.map((i) => `[${i}]`).join(''), level);
      offset++;
      return undefined;
    }
    if (!Array.isArray(level) || level.length !== shape[depth]) {
      const where = at.map((i) => `[${i}]`).join('');
      return fail('wrong_shape', `input "${spec.name}" element ${where} must be an array of ${shape[depth]} (the instance is ragged), got ${Array.isArray(level) ? `${level.length} elements` : typeName(level)}`);
    }
    for (let i = 0; i < level.length; i++) {
      at.push(i);
      const problem = walk(level[i], depth + 1, at);
      if (problem) return problem;
      at.pop();
    }
    return undefined;
  };
  return walk(value, 0, []);
}

function badValue(spec: TensorSpec, where: string, value: unknown): Outcome<never> {
  return fail('wrong_type', `input "${spec.name}" element ${where || '(the value)'} must be ${expectedValue(spec.dtype)} (${spec.dtype}), got ${typeof value === 'number' ? value : typeName(value)}`);
}

function describeSpec(spec: TensorSpec): string {
  return `${spec.dtype} ${describeItemShape(spec)}`;
}

function describeGot(value: unknown, shape: number[]): string {
  if (!Array.isArray(value)) return typeName(value);
  return `[${shape.join(', ')}]`;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
