/**
 * The contract between the model server (inside a container), the deployment backend (which sets its
 * environment) and the load generator (which calls it). One place, so the three cannot drift apart.
 */

/** The values of the server's choice knobs: the one list every layer (space, spec, CLI, variants) takes them from. */
export const EXECUTION_MODES = ['sequential', 'parallel'] as const;
export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
/** A model directory per precision: int8 is quantized from fp32. */
export const PRECISIONS = ['fp32', 'int8'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];
export type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];
export type Precision = (typeof PRECISIONS)[number];

/** Environment variables the server reads. Every knob `tune` turns arrives through one of these. */
export const SERVER_ENV = {
  modelDir: 'TUNE_MODEL_DIR', // directory holding manifest.json and the .onnx files (mounted read-only)
  modelName: 'TUNE_MODEL_NAME', // name used in the URL: /v1/models/<name>:predict
  host: 'TUNE_HOST', // an address, or a subnet (10.77.0.0/24) meaning this node's address in it
  port: 'TUNE_PORT',
  portSlot: 'TUNE_PORT_SLOT', // a replica's slot from 1 (Swarm's {{.Task.Slot}}): it listens on TUNE_PORT + slot - 1
  maxBatchSize: 'TUNE_MAX_BATCH_SIZE', // 1 = no batching
  batchTimeoutUs: 'TUNE_BATCH_TIMEOUT_US', // longest wait before an under-full batch runs
  queueBound: 'TUNE_QUEUE_BOUND', // requests waiting beyond this are answered 503 at once
  intraOpThreads: 'TUNE_INTRA_OP_THREADS', // 0 = ONNX Runtime default (sized to host cores, not the quota)
  interOpThreads: 'TUNE_INTER_OP_THREADS',
  executionMode: 'TUNE_EXECUTION_MODE', // sequential | parallel
  graphOptimizationLevel: 'TUNE_GRAPH_OPT_LEVEL', // disabled | basic | extended | all
  maxBodyBytes: 'TUNE_MAX_BODY_BYTES',
} as const;

export const ROUTES = {
  live: '/v1/health/live',
  ready: '/v1/health/ready',
  metrics: '/metrics',
  /** TF Serving-like: POST /v1/models/<name>:predict with {"instances": [...]} → {"predictions": [...]} */
  predict: (modelName: string) => `/v1/models/${modelName}:predict`,
  status: (modelName: string) => `/v1/models/${modelName}`,
} as const;

/**
 * Instances per model kind (one element of "instances"):
 * - classifier-image (resnet, gan): a nested [H][W][C] array or a flat array of H*W*C numbers in 0..1.
 * - classifier-text (bert): {"text": string} or {"input_ids": number[]}.
 * - translator (marian): {"text": string} or {"input_ids": number[]}.
 * Predictions:
 * - classifiers: {"label": number, "scores": number[]}
 * - translator: {"token_ids": number[]}
 */
export interface PredictRequest {
  instances: unknown[];
}

export interface PredictResponse {
  predictions: unknown[];
}

/** Every 4xx/5xx body: a stable code and one human line. */
export interface ErrorBody {
  error: { code: string; message: string };
}
