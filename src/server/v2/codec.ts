/**
 * The Open Inference Protocol (V2) over the server's model kinds: metadata, and the way between V2 inference
 * requests and responses and the kind's V1 instances and predictions, so V2 requests go through the same parser
 * and batcher as V1's (and batch together with them). Pure: the handler and the load generator call it.
 */
import type { ModelManifest } from '../../models/manifest.ts';
import { fail, succeed, type Outcome } from '../api-error.ts';
import { imageClassifierCodec, textClassifierCodec } from './classifier-codecs.ts';
import type { KindCodec } from './kind-codec.ts';
import { tensorCodec } from './tensor-codec.ts';
import { textRecognitionCodec } from './text-recognition-codec.ts';
import { readInferBody } from './tensors.ts';
import { translatorCodec } from './translator-codec.ts';
import { V2_MODEL_VERSION, V2_PLATFORM, type InferRequest, type InferResponse, type ModelMetadataResponse } from './types.ts';

export function codecFor(manifest: ModelManifest): KindCodec {
  switch (manifest.kind) {
    case 'classifier-image':
      return imageClassifierCodec(manifest);
    case 'classifier-text':
      return textClassifierCodec(manifest);
    case 'translator':
      return translatorCodec(manifest);
    case 'tensor':
      return tensorCodec(manifest);
    case 'text-recognition':
      return textRecognitionCodec(manifest);
  }
}

/** GET /v2/models/{m}: `name` is the served name (the URL's), which may differ from the manifest's. */
export function modelMetadata(manifest: ModelManifest, name: string = manifest.name): ModelMetadataResponse {
  const { inputs, outputs } = codecFor(manifest);
  return { name, versions: [V2_MODEL_VERSION], platform: V2_PLATFORM, inputs, outputs };
}

/** A V2 request decoded: the kind's V1 instances, and what the response must echo or select. */
export interface DecodedInferRequest {
  instances: unknown[];
  id?: string;
  /** Output names asked for; undefined: all. */
  outputs?: string[];
}

export function readInferRequest(manifest: ModelManifest, body: unknown): Outcome<DecodedInferRequest> {
  const codec = codecFor(manifest);
  const read = readInferBody(body, codec.inputs, codec.outputs);
  if (!read.ok) return read;
  const instances = codec.instances(read.value);
  if (!instances.ok) return instances;
  const { id, outputs } = read.value;
  return succeed({ instances: instances.value, ...(id === undefined ? {} : { id }), ...(outputs && { outputs }) });
}

/** V2 inputs → the kind's V1 instances, split on the first dimension. */
export function decodeInferRequest(manifest: ModelManifest, body: unknown): Outcome<unknown[]> {
  const read = readInferRequest(manifest, body);
  return read.ok ? succeed(read.value.instances) : read;
}

export interface EncodeOptions {
  /** The served name (default the manifest's). */
  modelName?: string;
  /** Only these outputs, in the model's order (default all). */
  outputs?: readonly string[];
}

/** The kind's V1 predictions → a V2 inference response. */
export function encodeInferResponse(manifest: ModelManifest, predictions: readonly unknown[], requestId?: string, options: EncodeOptions = {}): Outcome<InferResponse> {
  const tensors = codecFor(manifest).outputTensors(predictions);
  if (!tensors.ok) return tensors;
  const selected = options.outputs === undefined ? tensors.value : tensors.value.filter((tensor) => options.outputs!.includes(tensor.name));
  if (selected.length === 0) return fail('internal', 'no output tensor to answer with');
  return succeed({
    model_name: options.modelName ?? manifest.name,
    model_version: V2_MODEL_VERSION,
    ...(requestId === undefined ? {} : { id: requestId }),
    outputs: selected,
  });
}

/** V1 instances → one V2 inference request body (the load generator's). Throws on instances that cannot share one request. */
export function encodeInferRequest(manifest: ModelManifest, instances: readonly unknown[]): InferRequest {
  return { inputs: codecFor(manifest).inputTensors(instances) };
}

/** The JSON text of encodeInferRequest from instances given as JSON texts (the load generator's pre-built bodies). */
export function inferRequestJson(manifest: ModelManifest, instancesJson: readonly string[]): string {
  return JSON.stringify(encodeInferRequest(manifest, instancesJson.map((json) => JSON.parse(json) as unknown)));
}
