/**
 * The inference thread of a replica (see worker-runner.ts): opens the model's sessions, then runs each batch
 * it is sent and posts the predictions back. ONNX Runtime's run() blocks the thread that calls it, so it is
 * called here, never on the thread that answers HTTP. A live change of session options reopens the sessions
 * here too (reloadable-runner.ts), so the replica keeps its process, port and batcher.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openBatchRunner } from './model-loader.ts';
import { ReloadableRunner } from './reloadable-runner.ts';
import { sessionOpener } from './session.ts';
import type { FromWorker, InferenceWorkerData, ToWorker } from './worker-runner.ts';

const port = parentPort;
if (port === null) throw new Error('inference-worker.ts runs only as a worker thread');
const { modelDir, manifest, knobs } = workerData as InferenceWorkerData;
const post = (message: FromWorker) => port.postMessage(message);

try {
  const runner = await ReloadableRunner.start((options) => openBatchRunner(modelDir, manifest, sessionOpener(options)), knobs);
  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'close':
        runner.close().finally(() => port.close());
        return;
      case 'run':
        runner.run(message.batch).then(
          (values) => post({ type: 'result', id: message.id, ok: true, values }),
          (error: unknown) => post({ type: 'result', id: message.id, ok: false, message: errorMessage(error) }),
        );
        return;
      case 'reload':
        runner.reload(message.knobs, message.warmUp).then(
          () => post({ type: 'reloaded', id: message.id, ok: true }),
          (error: unknown) => post({ type: 'reloaded', id: message.id, ok: false, message: errorMessage(error) }),
        );
        return;
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', message: errorMessage(error) });
  port.close();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
