/**
 * Runs a tensor model on seeded inputs of its warm-up shapes: the check every staged user model passes
 * (validate.ts), and the sample inputs that compare its int8 copy with fp32 (probe.ts).
 */
import ort from 'onnxruntime-node';
import type { TensorDtype, TensorManifest } from './manifest.ts';
import { allocate, store } from './tensor-dtypes.ts';
import { warmUpShape } from './tensor-spec.ts';
import { mulberry32 } from './weights.ts';

/** Values any graph should take: floats in [0, 1), ints in [0, 100), bools half and half. */
function sampleValue(dtype: TensorDtype, next: () => number): number | boolean {
  if (dtype === 'bool') return next() < 0.5;
  if (dtype === 'float32' || dtype === 'float16') return next();
  return Math.floor(next() * 100);
}

/** Feeds of `batch` items (1 when the graph's batch is fixed at 1), seeded by `seed`. */
export function tensorFeeds(manifest: TensorManifest, batch: number, seed: number): Record<string, ort.Tensor> {
  const next = mulberry32(seed);
  const items = manifest.unbatched ? 1 : batch;
  return Object.fromEntries(
    manifest.inputs.map((spec) => {
      const dims = [items, ...warmUpShape(manifest, spec)];
      const length = dims.reduce((a, b) => a * b, 1);
      const data = allocate(spec.dtype, length);
      for (let i = 0; i < length; i++) store(data, spec.dtype, i, sampleValue(spec.dtype, next));
      return [spec.name, new ort.Tensor(spec.dtype, data, dims)];
    }),
  );
}

/** Every output is there, batched on its first dim, and finite where it is floating point. */
export function checkTensorOutputs(manifest: TensorManifest, outputs: ort.InferenceSession.ReturnType, batch: number): void {
  for (const spec of manifest.outputs) {
    const tensor = outputs[spec.name];
    if (!tensor) throw new Error(`output ${spec.name} is missing`);
    if (tensor.dims[0] !== batch) throw new Error(`output ${spec.name} has shape [${tensor.dims.join(', ')}]: its first dim is not the batch of ${batch}`);
    if (tensor.data instanceof Float32Array && !tensor.data.every(Number.isFinite)) throw new Error(`output ${spec.name} has non-finite values`);
  }
}
