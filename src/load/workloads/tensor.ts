/**
 * Generated instances for a tensor model without recorded traffic: every input at its fixed (or warm-up) item
 * shape, in its element type: floats uniform in [-1, 1) (where normalized images and embeddings lie), integers
 * in [0, 100), booleans half and half. Seeded by the caller's random source.
 */
import type { TensorDtype, TensorManifest } from '../../models/manifest.ts';
import { describeItemShape, warmUpShape } from '../../models/tensor-spec.ts';

export type TensorInputs = Pick<TensorManifest, 'inputs' | 'warmUpShapes'>;

export function tensorInstance(model: TensorInputs, random: () => number): string {
  const fields = model.inputs.map((spec) => `${JSON.stringify(spec.name)}:${nestedJson(warmUpShape(model, spec), () => value(spec.dtype, random))}`);
  return `{${fields.join(',')}}`;
}

export function describeTensorInputs(model: TensorInputs): string {
  const inputs = model.inputs.map((spec) => `${spec.name} ${spec.dtype} ${describeItemShape({ shape: warmUpShape(model, spec) })}`);
  return `random tensors (${inputs.join('; ')})`;
}

/** Four decimals are plenty for a load test and keep the bodies small. */
function value(dtype: TensorDtype, random: () => number): string {
  if (dtype === 'bool') return random() < 0.5 ? 'true' : 'false';
  if (dtype === 'float32' || dtype === 'float16') return String(Math.round((random() * 2 - 1) * 1e4) / 1e4);
  return String(Math.floor(random() * 100));
}

function nestedJson(shape: readonly number[], leaf: () => string): string {
  if (shape.length === 0) return leaf();
  const [first, ...rest] = shape as [number, ...number[]];
  return `[${Array.from({ length: first }, () => nestedJson(rest, leaf)).join(',')}]`;
}
