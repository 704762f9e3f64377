/**
 * Int8 dynamic quantization of any ONNX model, as onnxruntime's `quantize_dynamic` does it for CPU
 * (see rewrite.ts for the rewrite, opset.ts for the opset the new operators need). The model is read
 * with the complete onnx.proto reflection (onnx-proto.ts), so everything this does not rewrite is
 * written back as it came.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { firstLine, modelError, type ModelError } from '../model-error.ts';
import { NameScope } from './graph-walk.ts';
import { decodeModel, encodeModel, type ModelMsg } from './onnx-proto.ts';
import { raiseOpset } from './opset.ts';
import { quantizeGraph, type QuantizeOptions } from './rewrite.ts';

export type { QuantizeOptions } from './rewrite.ts';

/**
 * How tune quantizes the models it serves at int8 (the ocr built-in and users' models): one scale per output
 * channel. onnxruntime's per-tensor default read 64 of 200 rendered lines right with PaddleOCR's recognizer,
 * per channel 148 (fp32: 180), at no cost in latency (bench/quantize).
 */
export const SERVING_QUANTIZATION: QuantizeOptions = { perChannel: true };

/**
 * `bytes`: the quantized model (from quantizeDynamic; quantizeOnnxFile writes it to the target instead).
 * `matmuls`, `convs`, `gemms`: nodes rewritten. Nothing to quantize is not a failure: the counts are 0
 * and the bytes are the input's.
 */
export type QuantizeOutcome =
  | { ok: true; bytes?: Uint8Array; matmuls: number; convs: number; gemms: number }
  | { ok: false; error: ModelError };

export function quantizeDynamic(model: Uint8Array, options: QuantizeOptions = {}): QuantizeOutcome {
  const decoded = decode(model);
  if (!decoded.ok) return decoded;
  const graph = decoded.model.graph;
  if (!graph || !decoded.model.irVersion) {
    return { ok: false, error: modelError('model-corrupt', 'not an ONNX model (no IR version or graph); give an .onnx file') };
  }
  const names = new NameScope(graph);
  const counts = quantizeGraph(graph, names, options);
  if (counts.matmuls + counts.gemms + counts.convs === 0) return { ok: true, bytes: model, ...counts };
  const raised = raiseOpset(decoded.model, names);
  if (!raised.ok) return raised;
  return { ok: true, bytes: encodeModel(decoded.model), ...counts };
}

/** Quantizes the .onnx file `source` into `target`. */
export async function quantizeOnnxFile(source: string, target: string, options: QuantizeOptions = {}): Promise<QuantizeOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source);
  } catch (error) {
    return { ok: false, error: modelError('model-not-found', `cannot read ${source}: ${firstLine(error)}`) };
  }
  const outcome = quantizeDynamic(bytes, options);
  if (!outcome.ok || !outcome.bytes) return outcome;
  await writeFile(target, outcome.bytes);
  const { matmuls, convs, gemms } = outcome;
  return { ok: true, matmuls, convs, gemms };
}

function decode(bytes: Uint8Array): { ok: true; model: ModelMsg } | { ok: false; error: ModelError } {
  try {
    return { ok: true, model: decodeModel(bytes) };
  } catch (error) {
    return { ok: false, error: modelError('model-corrupt', `not an ONNX model (${firstLine(error)}); give an .onnx file`) };
  }
}
