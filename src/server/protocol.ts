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

/** Knobs the batcher of a running replica takes at once (ROUTES.config answers "reconfigured"). */
export const BATCHING_KNOBS = ['maxBatchSize', 'batchTimeoutUs', 'queueBound'] as const satisfies readonly (keyof typeof SERVER_ENV)[];
/** Knobs fixed in ONNX Runtime's session options: changing one on a running replica opens new sessions ("reloaded"). */
export const SESSION_KNOBS = ['intraOpThreads', 'interOpThreads', 'executionMode', 'graphOptimizationLevel'] as const satisfies readonly (keyof typeof SERVER_ENV)[];
/** The knobs a study tunes per trial; every other SERVER_ENV setting needs a new deployment to change. */
export const SERVER_KNOBS = [...BATCHING_KNOBS, ...SESSION_KNOBS] as const;
export type ServerKnobName = (typeof SERVER_KNOBS)[number];
/** A tuned knob's environment name, the key ROUTES.config reads and writes. */
export type KnobEnvName = (typeof SERVER_ENV)[ServerKnobName];
/** Every tuned knob's value, spelled as in the environment. */
export type KnobEnv = Record<KnobEnvName, string>;

export const ROUTES = {
  live: '/v1/health/live',
  ready: '/v1/health/ready',
  metrics: '/metrics',
  /** TF Serving-like: POST /v1/models/<name>:predict with {"instances": [...]} → {"predictions": [...]} */
  predict: (modelName: string) => `/v1/models/${modelName}:predict`,
  status: (modelName: string) => `/v1/models/${modelName}`,
  /**
   * Live reconfiguration, on the listener the replica already serves from: GET → CurrentConfigResponse; POST a
   * ConfigChangeRequest between measurements (409 busy while any inference is queued or running).
   */
  config: '/v1/admin/config',
  /** The Open Inference Protocol (KServe V2) on the same listener: src/server/v2/, README "Routes". */
  v2: {
    live: '/v2/health/live',
    ready: '/v2/health/ready',
    metadata: (modelName: string) => `/v2/models/${modelName}`,
    modelReady: (modelName: string) => `/v2/models/${modelName}/ready`,
    /** POST {"inputs": [{name, shape, datatype, data}]} → {"model_name", "outputs": [...]} */
    infer: (modelName: string) => `/v2/models/${modelName}/infer`,
  },
} as const;

/** The inference protocols a replica speaks: V1 (TF Serving-like) and V2 (Open Inference Protocol); the study records' ApiVersion. */
export type Api = 'v1' | 'v2';

/** Where a load generator speaking `api` sends its inference requests. */
export function inferencePath(api: Api, modelName: string): string {
  return api === 'v2' ? ROUTES.v2.infer(modelName) : ROUTES.predict(modelName);
}

/** GET ROUTES.config: the values the replica serves with now. */
export interface CurrentConfigResponse {
  env: KnobEnv;
}

/**
 * POST ROUTES.config. Keys are KnobEnvName only (any other → 400 bad_config: it needs a new deployment); values
 * are strings validated exactly as the environment's (an empty or missing one keeps the current value).
 */
export interface ConfigChangeRequest {
  env: Partial<KnobEnv>;
}

/**
 * How a change took effect: nothing differed; batching knobs applied to the batcher at once; or new sessions
 * opened, warmed up and swapped in (batching knobs sent with them applied together, or none of it on failure).
 */
export const CONFIG_APPLIED = ['unchanged', 'reconfigured', 'reloaded'] as const;
export type ConfigApplied = (typeof CONFIG_APPLIED)[number];

/** 200 answer to a ConfigChangeRequest. Refusals are ErrorBody: bad_request, bad_config, busy, not_ready, reload_failed. */
export interface ConfigChangeResponse {
  applied: ConfigApplied;
  /** Milliseconds from the request being accepted to the new sessions serving; 0 unless reloaded. */
  reload_ms: number;
  /** Every tuned knob's value from now on. */
  env: KnobEnv;
}

/**
 * Instances per model kind (one element of "instances"):
 * - classifier-image (resnet, gan): a nested [H][W][C] array or a flat array of H*W*C numbers in 0..1.
 * - classifier-text (bert): {"text": string} or {"input_ids": number[]}.
 * - translator (marian): {"text": string} or {"input_ids": number[]}.
 * - text-recognition (ocr): {"image": [H][W][3] RGB numbers in 0..255}, any height and width (resized on the server).
 * Predictions:
 * - classifiers: {"label": number, "scores": number[]}
 * - translator: {"token_ids": number[]}, plus "text" (the decoded translation) when the model ships target.spm
 * - text-recognition: {"text": string, "confidence": number}
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
