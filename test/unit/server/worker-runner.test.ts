import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ModelManifest } from '../../../src/models/manifest.ts';
import { openRunner, readManifest } from '../../../src/server/model-loader.ts';
import { instanceParser } from '../../../src/server/runners/parsers.ts';
import type { BatchRunner } from '../../../src/server/runners/runner.ts';
import { sessionOpener, type SessionKnobs } from '../../../src/server/session.ts';
import { loadTokenizer } from '../../../src/server/tokenizer-loader.ts';
import { workerRunnerOpener } from '../../../src/server/worker-runner.ts';
import { flatImage, ganConfig } from '../../../support/gan-app.ts';

const KNOBS: SessionKnobs = { intraOpThreads: 1, interOpThreads: 0, executionMode: 'sequential', graphOptimizationLevel: 'all' };

function ganManifest(dir: string): ModelManifest {
  const read = readManifest(dir);
  if (!read.ok) throw new Error(read.message);
  return read.manifest;
}

describe('inference on a worker thread (real gan model)', () => {
  let ganDir: string;
  let runner: BatchRunner<unknown>;

  before(async () => {
    ganDir = (await ganConfig()).modelDir;
    runner = await workerRunnerOpener(KNOBS)(ganDir, ganManifest(ganDir));
  });

  after(() => runner.close());

  test('predicts exactly what the same runner predicts in-process', async () => {
    const local = await openRunner(ganDir, ganManifest(ganDir), { openSession: sessionOpener(KNOBS), loadTokenizer });
    const batch = [1, 2, 3].map((seed) => {
      const parsed = local.parse(flatImage(seed));
      assert.ok(parsed.ok);
      return parsed.value;
    });
    const expected = await local.run(batch);
    await local.close();
    assert.deepEqual(await runner.run(batch), expected);
  });

  test("the calling thread's timers run while a batch is inferred", async () => {
    // In-thread, ONNX Runtime's run() would hold this thread until the batch is done, so the timer would
    // fire only after the result; on the worker, the result arrives as a message after the timer.
    const image = instanceParser(ganManifest(ganDir), undefined).warmUpInstance();
    const order: string[] = [];
    const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 0));
    const result = runner.run(Array.from({ length: 256 }, () => image)).then(() => void order.push('result'));
    await Promise.all([timer, result]);
    assert.deepEqual(order, ['timer', 'result']);
  });
});

describe('worker thread failures', () => {
  let brokenDir: string;

  before(async () => {
    brokenDir = mkdtempSync(join(tmpdir(), 'tune-broken-model-'));
    cpSync((await ganConfig()).modelDir, brokenDir, { recursive: true });
    writeFileSync(join(brokenDir, 'model.onnx'), 'not an onnx graph');
  });

  after(() => rmSync(brokenDir, { recursive: true, force: true }));

  test('a model the worker cannot open rejects with its one-line reason', async () => {
    await assert.rejects(workerRunnerOpener(KNOBS)(brokenDir, ganManifest(brokenDir)), (error: Error) => {
      assert.match(error.message, /model\.onnx/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  test('a closed runner refuses further batches with a reason', async () => {
    const ganDir = (await ganConfig()).modelDir;
    const runner = await workerRunnerOpener(KNOBS)(ganDir, ganManifest(ganDir));
    await runner.close();
    await assert.rejects(runner.run([]), /inference thread exited/);
  });
});
