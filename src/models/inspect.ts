/** Reads a user's ONNX file's inputs and outputs through onnxruntime (which also proves it is ONNX). */
import ort from 'onnxruntime-node';
import type { TensorInfo } from './classify.ts';
import { firstLine, modelError, type ModelError } from './model-error.ts';

export interface GraphSignature {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export type Inspection = { ok: true; value: GraphSignature } | { ok: false; error: ModelError };

export async function inspectOnnx(path: string): Promise<Inspection> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled', logSeverityLevel: 4 });
  } catch (error) {
    return { ok: false, error: modelError('model-corrupt', `not a loadable ONNX model: ${path} (onnxruntime: ${firstLine(error)})`) };
  }
  const info = (m: ort.InferenceSession.ValueMetadata): TensorInfo =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] };
  const value = { inputs: session.inputMetadata.map(info), outputs: session.outputMetadata.map(info) };
  await session.release();
  return { ok: true, value };
}
