/**
 * A batch runner whose sessions live on a worker thread. ONNX Runtime's run() holds the calling thread for the
 * whole inference, so on the HTTP thread a full queue could only be refused after the running batch ended;
 * with inference here, that thread stays free to parse, queue and refuse at once. Batches are copied to the
 * worker (structured clone) and predictions copied back: small next to the inference itself.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ModelManifest } from '../models/manifest.ts';
import type { OpenBatchRunner } from './model-loader.ts';
import type { ReloadableBatchRunner } from './runners/runner.ts';
import type { SessionKnobs } from './session.ts';

export interface InferenceWorkerData {
  modelDir: string;
  manifest: ModelManifest;
  knobs: SessionKnobs;
}

export type ToWorker = { type: 'run'; id: number; batch: unknown[] } | { type: 'reload'; id: number; knobs: SessionKnobs; warmUp: unknown[][] } | { type: 'close' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; ok: true; values: unknown[] }
  | { type: 'result'; id: number; ok: false; message: string }
  | { type: 'reloaded'; id: number; ok: true }
  | { type: 'reloaded'; id: number; ok: false; message: string };

/**
 * The worker's entry next to this module: inference-worker.js beside the bundled server.js in the image, or
 * inference-worker.ts when run from source, through a bootstrap that registers tsx in the new thread first.
 */
function spawnWorker(workerData: InferenceWorkerData): Worker {
  const fromSource = extname(fileURLToPath(import.meta.url)) === '.ts';
  const entry = new URL(`./inference-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData });
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** `onLost` hears, once, why a worker that had loaded its model ended without being closed. */
export function workerRunnerOpener(knobs: SessionKnobs, onLost: (reason: string) => void = () => undefined): OpenBatchRunner {
  return (modelDir, manifest) => WorkerRunner.start({ modelDir, manifest, knobs: sessionKnobsOf(knobs) }, onLost);
}

/** Only these cross to the worker, whatever wider configuration they came in. */
function sessionKnobsOf({ intraOpThreads, interOpThreads, executionMode, graphOptimizationLevel }: SessionKnobs): SessionKnobs {
  return { intraOpThreads, interOpThreads, executionMode, graphOptimizationLevel };
}

interface Pending {
  resolve(values: unknown[]): void;
  reject(error: Error): void;
}

class WorkerRunner implements ReloadableBatchRunner<unknown> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private stopped: string | undefined;
  private closing = false;

  private constructor(
    private readonly worker: Worker,
    private readonly onLost: (reason: string) => void,
  ) {
    worker.on('message', (message: FromWorker) => {
      if (message.type !== 'result' && message.type !== 'reloaded') return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!message.ok) waiting?.reject(new Error(message.message));
      else waiting?.resolve(message.type === 'result' ? message.values : []);
      this.holdProcessWhileBusy();
    });
    worker.on('error', (error) => this.fail(`inference thread failed: ${error.message}`));
    worker.on('exit', (code) => this.fail(`inference thread exited (code ${code})`));
    this.holdProcessWhileBusy();
  }

  /** Resolves once the worker has opened the sessions; rejects with the worker's one-line reason. */
  static start(data: InferenceWorkerData, onLost: (reason: string) => void): Promise<WorkerRunner> {
    const worker = spawnWorker(data);
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type !== 'ready' && message.type !== 'failed') return;
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        if (message.type === 'ready') resolve(new WorkerRunner(worker, onLost));
        else reject(new Error(message.message));
      };
      const onExit = (code: number) => reject(new Error(`inference thread exited (code ${code}) while loading the model`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.once('error', (error) => reject(new Error(`inference thread failed while loading the model: ${error.message}`)));
    });
  }

  run(batch: unknown[]): Promise<unknown[]> {
    return this.request((id) => ({ type: 'run', id, batch }));
  }

  /** New sessions on the same worker thread (see reloadable-runner.ts); batches sent meanwhile run on the old ones. */
  async reload(knobs: SessionKnobs, warmUp: unknown[][]): Promise<void> {
    await this.request((id) => ({ type: 'reload', id, knobs: sessionKnobsOf(knobs), warmUp }));
  }

  /** Releases the sessions on the worker and waits for it to end. */
  async close(): Promise<void> {
    if (this.stopped !== undefined) return;
    this.closing = true;
    const ended = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref(); // held until it has released the sessions and ended
    this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await ended;
  }

  /** Posts one message that the worker answers by its id. */
  private request(message: (id: number) => ToWorker): Promise<unknown[]> {
    if (this.stopped !== undefined) return Promise.reject(new Error(this.stopped));
    const id = this.nextId++;
    const result = new Promise<unknown[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.holdProcessWhileBusy();
    this.worker.postMessage(message(id));
    return result;
  }

  private fail(reason: string): void {
    if (this.stopped !== undefined) return;
    this.stopped = reason;
    if (!this.closing) this.onLost(reason);
    for (const waiting of this.pending.values()) waiting.reject(new Error(reason));
    this.pending.clear();
  }

  /**
   * An idle worker must not keep the process alive (a server's socket does that); a busy one must, and so must
   * one closing, until it has released its sessions (a reload may still answer while it closes).
   */
  private holdProcessWhileBusy(): void {
    if (this.pending.size > 0 || this.closing) this.worker.ref();
    else this.worker.unref();
  }
}
