/**
 * A graph's inputs and outputs as the tensor kind serves them (pure): one item's shape per input, the batch (the
 * graph's first dim) left out, with dynamic dims fixed by --input-shape or by the shapes recorded traffic has.
 * A graph tune cannot serve gets one line naming the input and what fixes it.
 */
import { basename } from 'node:path';
import type { InputShapes } from '../domain/records.ts';
import { TENSOR_DTYPES, type TensorManifest, type TensorSpec } from './manifest.ts';
import { modelError, type ModelError } from './model-error.ts';
import { isTensorDtype } from './tensor-dtypes.ts';

/** An input or output as onnxruntime reports it: a named dim is a string, a fixed one a number. */
export interface TensorInfo {
  name: string;
  type: string; // onnxruntime tensor type: 'float32', 'int64', …; 'non-tensor' for sequences and maps
  shape: (number | string)[];
}

/** Item shapes of one recorded sample, by input name (what the sample's nested arrays or V2 shapes say). */
export type SampleShapes = Record<string, number[]>;

/** What fixes dynamic dims: --input-shape, else the recorded samples (every sample that has the input). */
export interface ShapeHints {
  given?: InputShapes;
  samples?: readonly SampleShapes[];
}

export type TensorSignature = Pick<TensorManifest, 'inputs' | 'outputs' | 'warmUpShapes' | 'unbatched'>;
export type SignatureOutcome = { ok: true; value: TensorSignature } | { ok: false; error: ModelError };

const SUPPORTED = `tune serves ${TENSOR_DTYPES.join(', ')} tensors`;

export function tensorSignature(path: string, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], hints: ShapeHints = {}): SignatureOutcome {
  const model = `model ${basename(path)}`;
  const unknown = Object.keys(hints.given ?? {}).find((name) => !inputs.some((input) => input.name === name));
  if (unknown !== undefined) return failed(`--input-shape ${unknown}=…: ${model} has no input "${unknown}"; its inputs: ${describeInputs(inputs) || 'none'}`);
  if (outputs.length === 0) return failed(`${model} has no outputs`);
  const specs: TensorSpec[] = [];
  const warmUpShapes: Record<string, number[]> = {};
  let unbatched = false;
  for (const input of inputs) {
    const batch = batchProblem(model, 'input', input);
    if (typeof batch === 'string') return failed(batch);
    unbatched ||= batch.fixedAtOne;
    const fixed = itemShape(model, input, hints);
    if (!fixed.ok) return fixed;
    specs.push({ name: input.name, dtype: input.type as TensorSpec['dtype'], shape: fixed.shape });
    if (fixed.warmUp) warmUpShapes[input.name] = fixed.warmUp;
  }
  const outputSpecs: TensorSpec[] = [];
  for (const output of outputs) {
    const batch = batchProblem(model, 'output', output);
    if (typeof batch === 'string') return failed(batch);
    outputSpecs.push({ name: output.name, dtype: output.type as TensorSpec['dtype'], shape: output.shape.slice(1).map(fixedDim) });
  }
  return {
    ok: true,
    value: {
      inputs: specs,
      outputs: outputSpecs,
      ...(Object.keys(warmUpShapes).length > 0 && { warmUpShapes }),
      ...(unbatched && { unbatched: true as const }),
    },
  };
}

/** A supported element type and a first dim tune can batch on (dynamic, or fixed at 1: one item per call). */
function batchProblem(model: string, role: 'input' | 'output', tensor: TensorInfo): { fixedAtOne: boolean } | string {
  if (tensor.type === 'non-tensor') return `${model} ${role} "${tensor.name}" is a sequence or map, not a tensor: ${SUPPORTED} only`;
  const described = `${model} ${role} "${tensor.name}" ${describeTensor(tensor)}`;
  if (!isTensorDtype(tensor.type)) return `${described}: ${SUPPORTED}; add a Cast ${role === 'input' ? 'after that input' : 'before that output'} in the graph`;
  if (tensor.shape.length === 0) return `${described} has no batch dim: tune batches on the first dim; export the graph with a dynamic first dim`;
  const first = fixedDim(tensor.shape[0] as number | string);
  if (first !== null && first !== 1) return `${described} has a fixed batch of ${first}: tune batches on the first dim; export the graph with a dynamic (or 1) first dim`;
  return { fixedAtOne: first === 1 };
}

type ItemShape = { ok: true; shape: (number | null)[]; warmUp?: number[] } | { ok: false; error: ModelError };

function itemShape(model: string, input: TensorInfo, hints: ShapeHints): ItemShape {
  const graph = input.shape.slice(1).map(fixedDim);
  const given = hints.given?.[input.name];
  if (given !== undefined) return givenShape(model, input, graph, given);
  const dynamic = graph.flatMap((dim, i) => (dim === null ? [i] : []));
  if (dynamic.length === 0) return { ok: true, shape: graph };
  const seen = (hints.samples ?? []).flatMap((sample) => (sample[input.name] === undefined ? [] : [sample[input.name] as number[]]));
  const usable = seen.filter((shape) => shape.length === graph.length && graph.every((dim, i) => dim === null || dim === shape[i]));
  if (usable.length > 0 && usable.length === seen.length) {
    // Dims every sample agrees on are fixed; dims that vary stay dynamic and warm up at the first sample's size.
    const shape = graph.map((dim, i) => dim ?? (usable.every((s) => s[i] === usable[0]![i]) ? (usable[0]![i] as number) : null));
    return { ok: true, shape, ...(shape.includes(null) && { warmUp: usable[0] }) };
  }
  const labels = dimLabels(input);
  const names = dynamic.map((i) => labels[i + 1]).join(', ');
  const example = `${input.name}=${graph.map((dim, i) => dim ?? exampleDim(labels[i + 1] as string)).join('x')}`;
  const stray = seen.find((shape) => !usable.includes(shape));
  const samples = stray === undefined ? 'or pass --workload FILE' : `(the workload's samples of it are [${stray.join(', ')}], not [${labels.slice(1).join(', ')}])`;
  return failed(`${model} input "${input.name}" ${describeTensor(input)} has dynamic dims ${names}: give them with --input-shape ${example} ${samples}`);
}

function givenShape(model: string, input: TensorInfo, graph: (number | null)[], given: readonly number[]): ItemShape {
  const labels = dimLabels(input).slice(1);
  const flag = `--input-shape ${input.name}=${given.join('x')}`;
  const expected = `${input.name}=${graph.map((dim, i) => dim ?? labels[i]).join('x')}`;
  if (given.length !== graph.length) {
    return failed(`${flag}: ${model} input "${input.name}" ${describeTensor(input)} has ${graph.length} dims after the batch: give ${expected}`);
  }
  const clash = graph.findIndex((dim, i) => dim !== null && dim !== given[i]);
  if (clash >= 0) return failed(`${flag}: ${model} input "${input.name}" ${describeTensor(input)} fixes item dim ${clash + 1} at ${graph[clash]}: give ${expected}`);
  return { ok: true, shape: [...given] };
}

/** A positive number is fixed; a name, -1 or 0 (how exporters spell "any") is dynamic. */
function fixedDim(dim: number | string): number | null {
  return typeof dim === 'number' && dim > 0 ? dim : null;
}

/**
 * Names for a tensor's dims in messages: the exporter's own name when it reads as one (batch, seq), else N for the
 * batch, C/H/W for an image's dims, d1, d2, … for the rest. Fixed dims show their size.
 */
export function dimLabels(tensor: TensorInfo): string[] {
  const item = tensor.shape.slice(1);
  const fixedSmall = (dim: number | string | undefined) => typeof dim === 'number' && dim > 0 && dim <= 4;
  const image = item.length === 3 ? (fixedSmall(item[0]) ? ['C', 'H', 'W'] : fixedSmall(item[2]) ? ['H', 'W', 'C'] : undefined) : undefined;
  return tensor.shape.map((dim, i) => {
    if (fixedDim(dim) !== null) return String(dim);
    if (typeof dim === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,15}$/.test(dim)) return dim;
    if (i === 0) return 'N';
    return image?.[i - 1] ?? `d${i}`;
  });
}

/** A value to show in a suggested --input-shape: an image side, else a modest length. */
function exampleDim(label: string): number {
  return label === 'H' || label === 'W' ? 224 : 64;
}

export function describeTensor(tensor: TensorInfo): string {
  return `${tensor.type} [${dimLabels(tensor).join(', ')}]`;
}

export function describeInputs(inputs: readonly TensorInfo[]): string {
  return inputs.map((i) => `${i.name} ${describeTensor(i)}`).join('; ');
}

/** An item shape for messages: [3, 48, W] with dynamic dims named by position. */
export function describeItemShape(spec: Pick<TensorSpec, 'shape'>): string {
  return `[${spec.shape.map((dim, i) => dim ?? `d${i + 1}`).join(', ')}]`;
}

/** The shape of a nested JSON array, following its first elements (a scalar has shape []). */
export function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  let level = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

export type InputShapeParse = { ok: true; name: string; dims: number[] } | { ok: false; message: string };

/** `NAME=3x48x192`: an input's item shape, without the batch dim (the name may itself contain "="). */
export function parseInputShape(text: string): InputShapeParse {
  const at = text.lastIndexOf('=');
  const name = at > 0 ? text.slice(0, at) : '';
  const dims = at > 0 ? text.slice(at + 1).split('x') : [];
  if (name === '' || dims.length === 0 || dims.some((d) => !/^[1-9][0-9]{0,6}$/.test(d))) {
    return { ok: false, message: `--input-shape ${text}: give NAME=DIMSxDIMS…, one item's dims without the batch, e.g. x=3x48x192` };
  }
  return { ok: true, name, dims: dims.map(Number) };
}

function failed(message: string): { ok: false; error: ModelError } {
  return { ok: false, error: modelError('model-mismatch', message) };
}

/** The item shape a warm-up or check run feeds an input: its fixed dims, dynamic ones at the recorded sample's size. */
export function warmUpShape(manifest: Pick<TensorManifest, 'warmUpShapes'>, spec: TensorSpec): number[] {
  const sample = manifest.warmUpShapes?.[spec.name];
  return spec.shape.map((dim, i) => {
    const size = dim ?? sample?.[i];
    if (size === undefined) throw new RangeError(`input ${spec.name} has a dynamic dim ${i + 1} and no warm-up size`);
    return size;
  });
}
