/**
 * The generic 'tensor' kind: the graph's own inputs and outputs, by their names and element types. A request's
 * rows become V1 instances {"<input>": <one item's nested array>}; each prediction {"<output>": <nested array>}
 * is stacked back into [N, ...item shape]. The rows of one V2 tensor share their shape, so their outputs do too
 * (a graph whose output shape varied per item within one request could not be answered as one tensor: 500).
 */
import type { TensorManifest, TensorSpec } from '../../models/manifest.ts';
import { fail, succeed } from '../api-error.ts';
import { V2_DATATYPE_OF } from './datatypes.ts';
import type { KindCodec } from './kind-codec.ts';
import { nest, row, stack, unnest } from './tensors.ts';
import type { InferInputTensor, InferOutputTensor, MetadataTensor } from './types.ts';

export function tensorCodec(manifest: TensorManifest): KindCodec {
  return {
    inputs: manifest.inputs.map(metadataOf),
    outputs: manifest.outputs.map(metadataOf),
    instances: (request) => {
      const missing = manifest.inputs.find((spec) => !request.inputs.has(spec.name));
      if (missing !== undefined) return fail('bad_request', `the request needs every input: ${missing.name} is missing`);
      return succeed(
        Array.from({ length: request.batch }, (_, i) =>
          Object.fromEntries([...request.inputs.values()].map((tensor) => [tensor.name, nest(row(tensor, i), tensor.shape.slice(1))])),
        ),
      );
    },
    outputTensors: (predictions) => {
      const tensors: InferOutputTensor[] = [];
      for (const spec of manifest.outputs) {
        const datatype = V2_DATATYPE_OF[spec.dtype];
        const items = predictions.map((prediction) => jsonValues((prediction as Record<string, unknown>)[spec.name], spec.dtype === 'bool'));
        const tensor = stack(spec.name, datatype, items);
        if (tensor === undefined) return fail('internal', `output ${spec.name} has a different shape for each instance of the request: it cannot be one tensor`);
        tensors.push(tensor);
      }
      return succeed(tensors);
    },
    inputTensors: (instances) => manifest.inputs.map((spec) => inputTensor(spec, instances)),
  };
}

function metadataOf(spec: TensorSpec): MetadataTensor {
  return { name: spec.name, datatype: V2_DATATYPE_OF[spec.dtype], shape: [-1, ...spec.shape.map((d) => d ?? -1)] };
}

/** Every instance's item of one input, stacked; a flat item takes the spec's shape when that is fully fixed. */
function inputTensor(spec: TensorSpec, instances: readonly unknown[]): InferInputTensor {
  const fixed = spec.shape.every((d): d is number => d !== null) ? (spec.shape as number[]) : undefined;
  const items = instances.map((instance) => {
    const item = unnest((instance as Record<string, unknown>)[spec.name]);
    return fixed !== undefined && item.shape.length === 1 && fixed.length !== 1 ? { shape: fixed, values: item.values } : item;
  });
  const shape = items[0]?.shape ?? [];
  if (items.some((item) => item.shape.join('x') !== shape.join('x'))) {
    throw new Error(`input ${spec.name}: instances of one V2 request must share an item shape`);
  }
  return { name: spec.name, datatype: V2_DATATYPE_OF[spec.dtype], shape: [instances.length, ...shape], data: items.flatMap((item) => item.values) };
}

/** Structured-cloned predictions may carry bigint (int64) or 0/1 (bool): JSON wants numbers and booleans. */
function jsonValues(value: unknown, bool: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => jsonValues(v, bool));
  if (typeof value === 'bigint') return Number(value);
  return bool ? Boolean(value) : value;
}
