/**
 * Decodes one configuration (search-space parameter names → values) into the DeploymentSpec a backend runs.
 * A parameter the space leaves out takes the baseline value below, so a space may tune any subset of knobs.
 */
import type { DeploymentSpec } from '../deploy/backend.ts';
import { CONFIG_DEFAULTS } from '../server/config.ts';
import { EXECUTION_MODES, GRAPH_OPTIMIZATION_LEVELS, PRECISIONS, type Precision } from '../server/protocol.ts';
import type { Params, ParamValue } from '../space/params.ts';

type ServerSpec = DeploymentSpec['server'];

/** What a spec needs besides the parameters: where the model lives and how patient to be. */
export interface SpecContext {
  studyId: string;
  modelName: string;
  /** Host directory of the model built at the given precision. */
  modelDirFor: (precision: Precision) => string;
  /** Client concurrency: sizes the server's queue so a closed loop is never turned away. */
  concurrency: number;
  readyTimeoutMs: number;
}

/**
 * Baseline serving: one replica with one CPU and 2 GiB, the fp32 model, and the server's own defaults for
 * every server knob (no batching, ONNX Runtime's default threads and graph optimizations).
 */
export const BASELINE_PARAMS = {
  replicas: 1,
  cpus: 1,
  memory_mb: 2048,
  max_batch_size: CONFIG_DEFAULTS.maxBatchSize,
  batch_timeout_us: CONFIG_DEFAULTS.batchTimeoutUs,
  intra_op_threads: CONFIG_DEFAULTS.intraOpThreads,
  inter_op_threads: CONFIG_DEFAULTS.interOpThreads,
  execution_mode: CONFIG_DEFAULTS.executionMode,
  graph_optimization_level: CONFIG_DEFAULTS.graphOptimizationLevel,
  precision: PRECISIONS[0],
} as const satisfies Params;

export function paramsToSpec(params: Params, trialNumber: number, context: SpecContext): DeploymentSpec {
  const precision = choice(params, 'precision', PRECISIONS);
  return {
    studyId: context.studyId,
    trialNumber,
    modelName: context.modelName,
    modelDir: context.modelDirFor(precision),
    replicas: integer(params, 'replicas'),
    cpus: number(params, 'cpus'),
    memoryMb: integer(params, 'memory_mb'),
    server: serverSpec(params, precision, context.concurrency),
    readyTimeoutMs: context.readyTimeoutMs,
  };
}

function serverSpec(params: Params, precision: Precision, concurrency: number): ServerSpec {
  return {
    maxBatchSize: integer(params, 'max_batch_size'),
    batchTimeoutUs: integer(params, 'batch_timeout_us'),
    // The server's default bound, raised when more requests can be outstanding at once.
    queueBound: Math.max(CONFIG_DEFAULTS.queueBound, concurrency * 2),
    intraOpThreads: integer(params, 'intra_op_threads'),
    interOpThreads: integer(params, 'inter_op_threads'),
    executionMode: choice(params, 'execution_mode', EXECUTION_MODES),
    graphOptimizationLevel: choice(params, 'graph_optimization_level', GRAPH_OPTIMIZATION_LEVELS),
    precision,
  };
}

type BaselineName = keyof typeof BASELINE_PARAMS;

function value(params: Params, name: BaselineName): ParamValue {
  return params[name] ?? BASELINE_PARAMS[name];
}

function number(params: Params, name: BaselineName): number {
  const raw = value(params, name);
  if (typeof raw !== 'number' || !Number.isFinite(raw)) throw new TypeError(`parameter ${name} must be a number, got ${JSON.stringify(raw)}`);
  return raw;
}

function integer(params: Params, name: BaselineName): number {
  return Math.round(number(params, name));
}

function choice<T extends string>(params: Params, name: BaselineName, allowed: readonly T[]): T {
  const raw = value(params, name);
  if (!allowed.includes(raw as T)) throw new TypeError(`parameter ${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}
