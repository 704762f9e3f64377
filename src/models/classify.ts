/**
 * Pure classification of a user's ONNX graph from its input/output metadata: an image classifier
 * (one float input of rank 4, NHWC) or a text classifier (int64 input_ids and companions).
 */
import type { ModelError } from './model-error.ts';
import { modelError } from './model-error.ts';

export interface TensorInfo {
  name: string;
  type: string; // onnxruntime tensor type: 'float32', 'int64', …
  shape: (number | string)[];
}

export type Classified =
  | { kind: 'classifier-image'; inputName: string; outputName: string; instanceShape: [number, number, number] }
  | { kind: 'classifier-text'; inputNames: string[]; outputName: string };

export type Classification = { ok: true; value: Classified } | { ok: false; error: ModelError };

const TEXT_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];

export function classifyGraph(path: string, inputs: TensorInfo[], outputs: TensorInfo[]): Classification {
  const outputName = (outputs.find((o) => o.name === 'logits') ?? outputs[0])?.name;
  if (outputName === undefined) return fail(path, 'has no outputs', inputs);
  const ids = inputs.find((i) => i.name === 'input_ids' && i.type === 'int64');
  if (ids) {
    const unknown = inputs.filter((i) => !TEXT_INPUTS.includes(i.name));
    if (unknown.length > 0) return fail(path, `takes inputs tune cannot fill (${unknown.map((i) => i.name).join(', ')})`, inputs);
    return { ok: true, value: { kind: 'classifier-text', inputNames: inputs.map((i) => i.name), outputName } };
  }
  const [image] = inputs;
  if (inputs.length !== 1 || !image || image.type !== 'float32' || image.shape.length !== 4) {
    return fail(path, 'is neither an image classifier (one float32 input of 4 dims) nor a text classifier (int64 input_ids)', inputs);
  }
  const [, h, w, c] = image.shape;
  if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number') {
    return fail(path, 'has an image input without fixed height, width and channels', inputs);
  }
  if (c > 4 && typeof image.shape[1] === 'number' && image.shape[1] <= 4) {
    return fail(path, 'takes NCHW images; tune feeds NHWC [batch, height, width, channels] (add a Transpose at the input)', inputs);
  }
  return { ok: true, value: { kind: 'classifier-image', inputName: image.name, outputName, instanceShape: [h, w, c] } };
}

export function describeInputs(inputs: TensorInfo[]): string {
  return inputs.map((i) => `${i.name} ${i.type} [${i.shape.join(', ')}]`).join('; ');
}

function fail(path: string, problem: string, inputs: TensorInfo[]): Classification {
  return { ok: false, error: modelError('model-mismatch', `model ${path} ${problem}; its inputs: ${describeInputs(inputs) || 'none'}`) };
}
