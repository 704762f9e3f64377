/**
 * The inference thread of a replica (see worker-runner.ts): opens the model's sessions, then runs each batch
 * it is sent and posts the predictions back. ONNX Runtime's run() blocks the thread that calls it, so it is
 * called here, never on the thread that answers HTTP.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openBatchRunner } from './model-loader.ts';
import { sessionOpener } from './session.ts';
import type { FromWorker, InferenceWorkerData, ToWorker } from './worker-runner.ts';

const port = parentPort;
if (port === null) throw new Error('inference-worker.ts runs only as a worker thread');
const { modelDir, manifest, knobs } = workerData as InferenceWorkerData;
const post = (message: FromWorker) => port.postMessage(message);

try {
  const runner = await openBatchRunner(modelDir, manifest, sessionOpener(knobs));
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      runner.close().finally(() => port.close());
      return;
    }
    runner.run(message.batch).then(
      (values) => post({ type: 'result', id: message.id, ok: true, values }),
      (error: unknown) => post({ type: 'result', id: message.id, ok: false, message: errorMessage(error) }),
    );
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', message: errorMessage(error) });
  port.close();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
