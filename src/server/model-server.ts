/**
 * Assembles one serving replica: metrics, the model slot, the handler and the HTTP listener, then loads
 * and warms the model in the background so liveness answers while it loads. Inference runs on a worker
 * thread, so this thread keeps answering (and refusing) while a batch runs. Used by main.ts (containers)
 * and in-process by tests and benchmarks.
 */
import type { BatchObserver } from './batcher.ts';
import { systemClock, type Clock } from './clock.ts';
import { knobsOf, type ServerConfig } from './config.ts';
import { createHandler, type Handler } from './handler.ts';
import { listen, type HttpServer, type Shed } from './http.ts';
import { LiveConfig } from './live-config.ts';
import type { LogEvent } from './log.ts';
import { loadModel, readManifest } from './model-loader.ts';
import { ROUTES } from './protocol.ts';
import { ModelHost } from './model-host.ts';
import { ServerMetrics } from './metrics.ts';
import type { ModelManifest } from '../models/manifest.ts';
import { errorResponse } from './api-error.ts';
import { v2Error } from './v2/routes.ts';
import type { LoadedModel } from './served-model.ts';
import { loadTokenizer } from './tokenizer-loader.ts';
import { workerRunnerOpener } from './worker-runner.ts';

export interface ModelServerDeps {
  log: LogEvent;
  clock?: Clock;
}

/** A replica without a socket: the handler, plus a promise that settles when the model is ready. */
export interface ModelApp {
  handler: Handler;
  host: ModelHost;
  metrics: ServerMetrics;
  /** Resolves once warmed up and ready; rejects with a one-line message if loading failed. */
  ready: Promise<void>;
  /** Drains queued work and releases the sessions. */
  stop(): Promise<void>;
}

export interface RunningServer extends ModelApp {
  http: HttpServer;
}

export function createModelApp(config: ServerConfig, deps: ModelServerDeps): ModelApp {
  const clock = deps.clock ?? systemClock;
  const metrics = new ServerMetrics();
  const host = new ModelHost(config.modelName);
  const liveConfig = new LiveConfig(knobsOf(config), { host, metrics, log: deps.log, now: () => clock.now() });
  let manifest: ModelManifest | undefined; // read as loading starts: the V2 metadata and codecs need it
  const handler = createHandler({
    host,
    manifest: () => manifest,
    liveConfig,
    metrics,
    maxBodyBytes: config.maxBodyBytes,
    now: () => clock.now(),
    logError: deps.log,
  });
  // A lost inference thread turns the replica unready for good: readiness and predictions answer 503.
  const lost = (reason: string) => {
    deps.log('inference_thread_lost', { reason });
    host.markFailed(reason);
  };
  const loading = loadAndWarm(config, { ...deps, clock }, metrics, lost, (read) => (manifest = read));
  const ready = loading.then(
    (model) => host.attach(model),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      host.markFailed(message);
      throw new Error(message);
    },
  );
  ready.catch(() => undefined); // observed by callers; never an unhandled rejection
  const stop = async () => {
    await host.drain();
    const model = await loading.catch(() => undefined);
    await model?.close();
  };
  return { handler, host, metrics, ready, stop };
}

/** createModelApp plus a listening socket on config.host:config.port. */
export async function startModelServer(config: ServerConfig, deps: ModelServerDeps): Promise<RunningServer> {
  const app = createModelApp(config, deps);
  const http = await listen(app.handler, config.host, config.port, overloadShedding(app, config.modelName));
  const stop = async () => {
    await app.host.drain();
    await http.close();
    await app.stop();
  };
  return { ...app, http, stop };
}

/** A predict (V1) or infer (V2) request that arrives while the queue is full is refused before its body is read, and counted. */
function overloadShedding(app: ModelApp, modelName: string): Shed {
  const inferencePaths = new Map<string, 'v1' | 'v2'>([
    [ROUTES.predict(modelName), 'v1'],
    [ROUTES.v2.infer(modelName), 'v2'],
  ]);
  return (method, url) => {
    const api = method === 'POST' && url !== undefined ? inferencePaths.get(url) : undefined;
    if (api === undefined) return undefined;
    const full = app.host.full();
    if (full === undefined) return undefined;
    app.metrics.requests.inc('503');
    app.metrics.apiRequests.inc(api);
    return api === 'v2' ? v2Error(full) : errorResponse(full);
  };
}

async function loadAndWarm(
  config: ServerConfig,
  deps: ModelServerDeps & { clock: Clock },
  metrics: ServerMetrics,
  lost: (reason: string) => void,
  manifestRead: (manifest: ModelManifest) => void,
): Promise<LoadedModel> {
  const read = readManifest(config.modelDir);
  if (!read.ok) throw new Error(`[${read.code}] ${read.message}`);
  manifestRead(read.manifest);
  const started = deps.clock.now();
  const model = await loadModel(config.modelDir, read.manifest, config, {
    openBatchRunner: workerRunnerOpener(config, lost),
    loadTokenizer,
    clock: deps.clock,
    observer: batchMetrics(metrics),
  });
  const loaded = deps.clock.now();
  await model.warmUp();
  deps.log('model_ready', {
    model: config.modelName,
    kind: read.manifest.kind,
    precision: read.manifest.precision,
    loadMs: Math.round(loaded - started),
    warmUpMs: Math.round(deps.clock.now() - loaded),
  });
  return model;
}

function batchMetrics(metrics: ServerMetrics): BatchObserver {
  return {
    queueDepth: (depth) => metrics.queueDepth.set(depth),
    batchDone: (size, seconds) => {
      metrics.batchSize.observe(size);
      metrics.inferenceSeconds.observe(seconds);
    },
  };
}
