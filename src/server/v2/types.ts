/**
 * The JSON shapes of the Open Inference Protocol (KServe V2, as Triton, KServe and MLServer speak it) over
 * REST, as far as this server speaks them: health, model metadata and readiness, and inference with JSON
 * tensors (no binary-data extension). Spec: kserve/open-inference-protocol, specification/protocol/inference_rest.md.
 */

/** Every element type of the protocol; the server takes and gives the ones its models use (see datatypes.ts). */
export const V2_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;
export type V2Datatype = (typeof V2_DATATYPES)[number];

/** A tensor's description in model metadata; -1 marks a variable-size dimension (the batch always is one). */
export interface MetadataTensor {
  name: string;
  datatype: V2Datatype;
  shape: number[];
}

/** GET /v2/models/{m}. */
export interface ModelMetadataResponse {
  name: string;
  versions: string[];
  platform: string;
  inputs: MetadataTensor[];
  outputs: MetadataTensor[];
}

/** One input tensor of an inference request: the whole batch, `data` in row-major order (flat or nested). */
export interface InferInputTensor {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: Record<string, unknown>;
  data: unknown[];
}

/** POST /v2/models/{m}/infer. */
export interface InferRequest {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: InferInputTensor[];
  /** The outputs to return; absent: all of them. */
  outputs?: { name: string; parameters?: Record<string, unknown> }[];
}

/** One output tensor of an inference response, `data` flat in row-major order. */
export interface InferOutputTensor {
  name: string;
  shape: number[];
  datatype: V2Datatype;
  data: (number | string | boolean)[];
}

export interface InferResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  outputs: InferOutputTensor[];
}

/** Every V2 refusal: one human line (the status code carries the kind). */
export interface V2ErrorBody {
  error: string;
}

/** The platform the metadata names: every model here is an ONNX graph run by ONNX Runtime. */
export const V2_PLATFORM = 'onnxruntime_onnx';
/** The one version each replica serves (V1's model status says "1" too). */
export const V2_MODEL_VERSION = '1';
