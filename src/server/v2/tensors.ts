/**
 * JSON tensors of the V2 protocol, kind-independent: reading an inference request's input tensors (shape,
 * datatype, row-major data given flat or nested), checking them against the model's metadata, splitting them
 * on the first (batch) dimension, and stacking per-instance values back into output tensors. Pure.
 */
import { fail, succeed, type Outcome } from '../api-error.ts';
import { typeName } from '../runners/image-instance.ts';
import { V2_DATATYPES, type InferOutputTensor, type MetadataTensor, type V2Datatype } from './types.ts';

/** An input tensor as the request gave it, its data flattened to row-major order and every element checked. */
export interface RequestTensor {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  values: unknown[];
}

/** What an inference request asks, its inputs checked against the model's metadata. */
export interface ReadRequest {
  id?: string;
  inputs: Map<string, RequestTensor>;
  /** The batch: every input's first dimension. */
  batch: number;
  /** Output names asked for; undefined: all. */
  outputs?: string[];
}

/** Reads and checks a request body against the model's tensors: names, datatypes, ranks, fixed dims, element counts. */
export function readInferBody(body: unknown, inputs: readonly MetadataTensor[], outputs: readonly MetadataTensor[]): Outcome<ReadRequest> {
  if (!isObject(body)) return fail('bad_request', 'request body must be a JSON object {"inputs": [...]}');
  const id = body.id;
  if (id !== undefined && typeof id !== 'string') return fail('bad_request', `"id" must be a string, got ${typeName(id)}`);
  if (!Array.isArray(body.inputs)) return fail('bad_request', '"inputs" must be an array of tensors {name, shape, datatype, data}');
  if (body.inputs.length === 0) return fail('bad_instances', '"inputs" is empty');
  const read = new Map<string, RequestTensor>();
  for (const [index, raw] of body.inputs.entries()) {
    const tensor = readInput(raw, index, inputs);
    if (!tensor.ok) return tensor;
    if (read.has(tensor.value.name)) return fail('bad_request', `input ${JSON.stringify(tensor.value.name)} is given twice`);
    read.set(tensor.value.name, tensor.value);
  }
  const batch = commonBatch([...read.values()]);
  if (!batch.ok) return batch;
  const wanted = requestedOutputs(body.outputs, outputs);
  if (!wanted.ok) return wanted;
  return succeed({ ...(id === undefined ? {} : { id }), inputs: read, batch: batch.value, ...(wanted.value && { outputs: wanted.value }) });
}

function readInput(raw: unknown, index: number, expected: readonly MetadataTensor[]): Outcome<RequestTensor> {
  const where = `inputs[${index}]`;
  if (!isObject(raw)) return fail('bad_request', `${where} must be an object {name, shape, datatype, data}, got ${typeName(raw)}`);
  const { name, shape, datatype, data, parameters } = raw;
  if (typeof name !== 'string') return fail('bad_request', `${where}.name must be a string`);
  const spec = expected.find((tensor) => tensor.name === name);
  if (spec === undefined) {
    return fail('unknown_input', `${where}: the model has no input ${JSON.stringify(name)}: use ${expected.map((t) => t.name).join(', ')}`);
  }
  if (isObject(parameters) && 'binary_data_size' in parameters) {
    return fail('bad_request', `${where}: binary tensor data is not supported: send the data as JSON`);
  }
  if (typeof datatype !== 'string' || !(V2_DATATYPES as readonly string[]).includes(datatype)) {
    return fail('wrong_type', `${where}.datatype must be one of ${V2_DATATYPES.join(', ')}, got ${JSON.stringify(datatype)}`);
  }
  if (datatype !== spec.datatype) return fail('wrong_type', `input ${name} is ${spec.datatype}, got ${datatype}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    return fail('wrong_shape', `${where}.shape must be an array of whole numbers ≥ 0`);
  }
  const dims = shape as number[];
  const shapeProblem = shapeMismatch(dims, spec.shape);
  if (shapeProblem !== undefined) return fail('wrong_shape', `input ${name}: ${shapeProblem}`);
  if (!Array.isArray(data)) return fail('bad_request', `${where}.data must be an array, got ${typeName(data)}`);
  const values = flatten(data);
  const count = elementCount(dims);
  if (values.length !== count) {
    return fail('wrong_shape', `input ${name}: shape [${dims.join(', ')}] holds ${count} elements, "data" has ${values.length}`);
  }
  const bad = values.findIndex((value) => !fitsDatatype(value, datatype));
  if (bad >= 0) return fail('wrong_type', `input ${name}: element ${bad} is not ${datatype}: ${describe(values[bad])}`);
  return succeed({ name, datatype, shape: dims, values });
}

/** undefined when `shape` (batch first) fits the metadata's (-1: any size). */
function shapeMismatch(shape: readonly number[], expected: readonly number[]): string | undefined {
  const wanted = `[${expected.join(', ')}]`;
  if (shape.length !== expected.length) return `shape [${shape.join(', ')}] must have ${expected.length} dimensions, as ${wanted}`;
  const wrong = expected.findIndex((d, i) => d >= 0 && shape[i] !== d);
  return wrong < 0 ? undefined : `dimension ${wrong} of shape [${shape.join(', ')}] must be ${expected[wrong]}, as ${wanted}`;
}

function commonBatch(tensors: readonly RequestTensor[]): Outcome<number> {
  const batch = tensors[0]!.shape[0]!;
  const other = tensors.find((tensor) => tensor.shape[0] !== batch);
  if (other !== undefined) {
    return fail('wrong_shape', `every input needs the same first (batch) dimension: ${tensors[0]!.name} has ${batch}, ${other.name} ${other.shape[0]}`);
  }
  if (batch === 0) return fail('bad_instances', 'the batch (first dimension) is 0: send at least one instance');
  return succeed(batch);
}

function requestedOutputs(raw: unknown, outputs: readonly MetadataTensor[]): Outcome<string[] | undefined> {
  if (raw === undefined) return succeed(undefined);
  if (!Array.isArray(raw)) return fail('bad_request', '"outputs" must be an array of {name}');
  const names: string[] = [];
  for (const [index, output] of raw.entries()) {
    if (!isObject(output) || typeof output.name !== 'string') return fail('bad_request', `outputs[${index}] must be an object {name}`);
    if (!outputs.some((tensor) => tensor.name === output.name)) {
      return fail('unknown_output', `outputs[${index}]: the model has no output ${JSON.stringify(output.name)}: use ${outputs.map((t) => t.name).join(', ')}`);
    }
    names.push(output.name);
  }
  return succeed(names);
}

/** Row-major data, flat or nested, as one flat array (flat data is taken as is: the protocol's canonical form). */
export function flatten(data: readonly unknown[]): unknown[] {
  return data.some(Array.isArray) ? (data as unknown[]).flat(Infinity) : (data as unknown[]);
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, d) => product * d, 1);
}

const INTEGER_RANGES: Partial<Record<V2Datatype, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
};

/** JSON can carry 64-bit integers only up to 2^53 exactly; larger ones are refused rather than rounded. */
export function fitsDatatype(value: unknown, datatype: V2Datatype): boolean {
  if (datatype === 'BYTES') return typeof value === 'string';
  if (datatype === 'BOOL') return typeof value === 'boolean';
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const range = INTEGER_RANGES[datatype];
  return range === undefined || (Number.isInteger(value) && value >= range[0] && value <= range[1]);
}

/** The i-th row of a tensor split on its first dimension, flat. */
export function row(tensor: RequestTensor, index: number): unknown[] {
  const size = elementCount(tensor.shape.slice(1));
  return tensor.values.slice(index * size, (index + 1) * size);
}

/** Flat row-major values as nested arrays of `shape` (a scalar for an empty shape). */
export function nest(values: readonly unknown[], shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const [first, ...rest] = shape as [number, ...number[]];
  const size = elementCount(rest);
  return Array.from({ length: first }, (_, i) => nest(values.slice(i * size, (i + 1) * size), rest));
}

/** The shape of a nested array (as deep as its first elements go), and its values flat. */
export function unnest(value: unknown): { shape: number[]; values: unknown[] } {
  const shape: number[] = [];
  for (let level = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  return { shape, values: Array.isArray(value) ? flatten(value) : [value] };
}

/**
 * One output tensor from each instance's value (a nested array, or a scalar): [N, ...item shape]. Items whose
 * shapes differ cannot share a tensor: undefined then.
 */
export function stack(name: string, datatype: V2Datatype, items: readonly unknown[]): InferOutputTensor | undefined {
  const parts = items.map(unnest);
  const itemShape = parts[0]?.shape ?? [];
  if (parts.some((part) => part.shape.length !== itemShape.length || part.shape.some((d, i) => d !== itemShape[i]))) return undefined;
  const data = parts.flatMap((part) => part.values) as InferOutputTensor['data'];
  return { name, datatype, shape: [items.length, ...itemShape], data };
}

/** Rows of unequal length as one [N, longest] tensor, the short ones filled with `pad`. */
export function padded(name: string, datatype: V2Datatype, rows: readonly (readonly number[])[], pad: number): InferOutputTensor {
  const width = rows.reduce((longest, r) => Math.max(longest, r.length), 0);
  const data = rows.flatMap((r) => [...r, ...Array<number>(width - r.length).fill(pad)]);
  return { name, datatype, shape: [rows.length, width], data };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : Array.isArray(value) ? 'an array' : String(value);
}
