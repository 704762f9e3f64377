/**
 * Server configuration, read once from the environment (names in SERVER_ENV). Parsing is pure: it takes the
 * environment as a plain record and returns a result, so main.ts decides how to report a bad value. The tuned
 * knobs have a parser of their own, shared by the environment and the live configuration route, so a value is
 * accepted or refused (with the same line) whichever way it arrives.
 */
import { inSubnet, parseSubnet } from './address.ts';
import {
  EXECUTION_MODES,
  GRAPH_OPTIMIZATION_LEVELS,
  SERVER_ENV,
  SERVER_KNOBS,
  type ExecutionMode,
  type GraphOptimizationLevel,
  type KnobEnv,
  type ServerKnobName,
} from './protocol.ts';

export interface ServerConfig {
  modelDir: string;
  modelName: string;
  host: string;
  port: number;
  maxBatchSize: number;
  batchTimeoutUs: number;
  /** Instances allowed to wait for a batch; beyond it requests are answered 503 queue_full. */
  queueBound: number;
  /** 0 = ONNX Runtime default (sized to the host's cores, not the container's quota). */
  intraOpThreads: number;
  interOpThreads: number;
  executionMode: ExecutionMode;
  graphOptimizationLevel: GraphOptimizationLevel;
  maxBodyBytes: number;
}

/** The knobs a study tunes per trial (SERVER_KNOBS); the rest (model, address, body limit) are set by the deployment. */
export type ServerKnobs = Pick<ServerConfig, ServerKnobName>;

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; code: 'bad_config'; message: string };
export type KnobsResult = { ok: true; knobs: ServerKnobs } | { ok: false; code: 'bad_config'; message: string };

type Env = Readonly<Record<string, string | undefined>>;

/** Defaults for every knob except the model directory, which has no sensible default. */
export const CONFIG_DEFAULTS: Omit<ServerConfig, 'modelDir'> = {
  modelName: 'model',
  host: '127.0.0.1',
  port: 8501, // TF Serving's REST port
  maxBatchSize: 1,
  batchTimeoutUs: 0,
  queueBound: 64,
  intraOpThreads: 0,
  interOpThreads: 0,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  maxBodyBytes: 16 * 1024 * 1024,
};

class ConfigError extends Error {}

/**
 * Parses and validates every SERVER_ENV knob; the first bad one is reported in one line. `localAddresses`: this
 * host's IPv4 addresses, where TUNE_HOST names a subnet rather than an address.
 */
export function parseServerConfig(env: Env, localAddresses: readonly string[] = []): ConfigResult {
  try {
    return { ok: true, config: readConfig(env, localAddresses) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, code: 'bad_config', message: error.message };
    throw error;
  }
}

/**
 * Parses the tuned knobs from `values` (SERVER_ENV names to strings): the environment at start, or a live
 * configuration change. A knob missing or empty keeps its value in `fallback`. Keys other than the knobs' are
 * ignored here; the first bad value is reported in one line.
 */
export function parseServerKnobs(values: Env, fallback: ServerKnobs = CONFIG_DEFAULTS): KnobsResult {
  try {
    return { ok: true, knobs: readKnobs(values, fallback) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, code: 'bad_config', message: error.message };
    throw error;
  }
}

/** The knobs' values as the environment spells them, keyed by SERVER_ENV name. */
export function knobEnv(knobs: ServerKnobs): KnobEnv {
  return Object.fromEntries(SERVER_KNOBS.map((knob) => [SERVER_ENV[knob], String(knobs[knob])])) as KnobEnv;
}

/** Only the tuned knobs of a wider configuration. */
export function knobsOf(config: ServerKnobs): ServerKnobs {
  const { maxBatchSize, batchTimeoutUs, queueBound, intraOpThreads, interOpThreads, executionMode, graphOptimizationLevel } = config;
  return { maxBatchSize, batchTimeoutUs, queueBound, intraOpThreads, interOpThreads, executionMode, graphOptimizationLevel };
}

function readConfig(env: Env, localAddresses: readonly string[]): ServerConfig {
  const d = CONFIG_DEFAULTS;
  const modelDir = env[SERVER_ENV.modelDir];
  if (!modelDir) throw new ConfigError(`${SERVER_ENV.modelDir} is not set: point it at a model directory holding manifest.json`);
  return {
    modelDir,
    modelName: readName(env, SERVER_ENV.modelName, d.modelName),
    host: readHost(env, d.host, localAddresses),
    port: readPort(env, d.port),
    ...readKnobs(env, d),
    maxBodyBytes: readInt(env, SERVER_ENV.maxBodyBytes, d.maxBodyBytes, 1024, 1024 * 1024 * 1024),
  };
}

function readKnobs(env: Env, fallback: ServerKnobs): ServerKnobs {
  const f = fallback;
  return {
    maxBatchSize: readInt(env, SERVER_ENV.maxBatchSize, f.maxBatchSize, 1, 4096),
    batchTimeoutUs: readInt(env, SERVER_ENV.batchTimeoutUs, f.batchTimeoutUs, 0, 10_000_000),
    queueBound: readInt(env, SERVER_ENV.queueBound, f.queueBound, 1, 1_000_000),
    intraOpThreads: readInt(env, SERVER_ENV.intraOpThreads, f.intraOpThreads, 0, 1024),
    interOpThreads: readInt(env, SERVER_ENV.interOpThreads, f.interOpThreads, 0, 1024),
    executionMode: readChoice(env, SERVER_ENV.executionMode, f.executionMode, EXECUTION_MODES),
    graphOptimizationLevel: readChoice(env, SERVER_ENV.graphOptimizationLevel, f.graphOptimizationLevel, GRAPH_OPTIMIZATION_LEVELS),
  };
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.trim());
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * A subnet instead of an address lets one environment serve replicas on several nodes (a Swarm service's tasks):
 * each binds its own node's address in that subnet, never every interface.
 */
function readHost(env: Env, fallback: string, localAddresses: readonly string[]): string {
  const raw = env[SERVER_ENV.host];
  if (raw === undefined || raw === '') return fallback;
  const subnet = parseSubnet(raw);
  if (subnet === undefined) return raw;
  if (subnet === 'invalid') throw new ConfigError(`${SERVER_ENV.host}=${JSON.stringify(raw)} is invalid: expected an address or an IPv4 subnet such as 10.77.0.0/24`);
  const local = localAddresses.find((address) => inSubnet(address, subnet));
  if (local === undefined) throw new ConfigError(`${SERVER_ENV.host}=${raw}: this host has no address in that subnet (it has ${localAddresses.join(', ') || 'none'})`);
  return local;
}

/** TUNE_PORT, moved up by the replica's slot when one is given, so replicas sharing an environment never collide. */
function readPort(env: Env, fallback: number): number {
  const base = readInt(env, SERVER_ENV.port, fallback, 0, 65535);
  const slot = readInt(env, SERVER_ENV.portSlot, 1, 1, 4096);
  if (base + slot - 1 > 65535) throw new ConfigError(`${SERVER_ENV.port}=${base} with ${SERVER_ENV.portSlot}=${slot} is past port 65535: choose a lower base port`);
  return base === 0 ? 0 : base + slot - 1;
}

function readChoice<T extends string>(env: Env, name: string, fallback: T, choices: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const found = choices.find((choice) => choice === raw);
  if (found === undefined) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected one of ${choices.join(', ')}`);
  }
  return found;
}

/** The name appears in URLs, so it is kept to characters that need no escaping. */
function readName(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(raw)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: use 1-64 letters, digits, '.', '_' or '-'`);
  }
  return raw;
}
