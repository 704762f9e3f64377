/**
 * Pure classification of a user's ONNX graph from its input/output metadata. Two shapes keep a kind of their own
 * because it adds meaning: a text classifier (int64 input_ids and its usual companions: tokenization) and an image
 * classifier (one float32 NHWC input with fixed height, width and channels: labels over images). Every other graph
 * is a tensor model, served with its own inputs and outputs (src/models/tensor-spec.ts).
 */
import type { ModelError } from './model-error.ts';
import { tensorSignature, type ShapeHints, type TensorInfo, type TensorSignature } from './tensor-spec.ts';

export type { TensorInfo } from './tensor-spec.ts';
export { describeInputs } from './tensor-spec.ts';

export type Classified =
  | { kind: 'classifier-image'; inputName: string; outputName: string; instanceShape: [number, number, number] }
  | { kind: 'classifier-text'; inputNames: string[]; outputName: string }
  | ({ kind: 'tensor' } & TensorSignature);

export type Classification = { ok: true; value: Classified } | { ok: false; error: ModelError };

const TEXT_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];
const MAX_IMAGE_CHANNELS = 4;

/** Shapes given for the graph's inputs (--input-shape) ask for it as tensors, whatever it looks like. */
export function classifyGraph(path: string, inputs: TensorInfo[], outputs: TensorInfo[], hints: ShapeHints = {}): Classification {
  const outputName = (outputs.find((o) => o.name === 'logits') ?? outputs[0])?.name;
  const special = outputName === undefined || Object.keys(hints.given ?? {}).length > 0 ? undefined : classifierOf(inputs, outputName);
  if (special) return { ok: true, value: special };
  return tensorOf(path, inputs, outputs, hints);
}

/** The graph as a tensor model: its inputs and outputs with their item shapes, or why tune cannot serve it. */
export function tensorOf(path: string, inputs: TensorInfo[], outputs: TensorInfo[], hints: ShapeHints = {}): { ok: true; value: Extract<Classified, { kind: 'tensor' }> } | { ok: false; error: ModelError } {
  const signature = tensorSignature(path, inputs, outputs, hints);
  return signature.ok ? { ok: true, value: { kind: 'tensor', ...signature.value } } : signature;
}

function classifierOf(inputs: TensorInfo[], outputName: string): Classified | undefined {
  const ids = inputs.find((i) => i.name === 'input_ids' && i.type === 'int64');
  if (ids && inputs.every((i) => TEXT_INPUTS.includes(i.name) && i.type === 'int64')) {
    return { kind: 'classifier-text', inputNames: inputs.map((i) => i.name), outputName };
  }
  const [image] = inputs;
  if (inputs.length !== 1 || !image || image.type !== 'float32' || image.shape.length !== 4) return undefined;
  const [, h, w, c] = image.shape;
  if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number' || h <= 0 || w <= 0 || c <= 0 || c > MAX_IMAGE_CHANNELS) return undefined;
  return { kind: 'classifier-image', inputName: image.name, outputName, instanceShape: [h, w, c] };
}
