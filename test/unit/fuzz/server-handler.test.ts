/**
 * Fuzzing the model server's handler with the real gan model: thousands of malformed requests each get
 * a 4xx with a JSON error body of one line, the replica still answers a valid request with 200, and the
 * heap does not grow with the number of refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ensureModel } from '../../../src/models/index.ts';
import { CONFIG_DEFAULTS } from '../../../src/server/config.ts';
import { createModelApp, type ModelApp } from '../../../src/server/model-server.ts';
import type { ErrorBody } from '../../../src/server/protocol.ts';
import type { V2ErrorBody } from '../../../src/server/v2/types.ts';
import { assertOneLine } from '../../../support/one-line.ts';
import { malformedRequest, toRequest, validRequest, type MalformedRequest } from '../../../support/request-arbitraries.ts';

const RUNS = 5000;
const BATCH = 500;
const HEAP_GROWTH_LIMIT = 64 * 2 ** 20;

async function checkRefused(app: ModelApp, spec: MalformedRequest): Promise<void> {
  const response = await app.handler(toRequest(spec));
  const what = `${spec.method} ${spec.path.slice(0, 60)} (${spec.flaw})`;
  const text = await response.text();
  assert.ok(response.status >= 400 && response.status < 500, `${what}: status ${response.status}: ${text.slice(0, 200)}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${what}: not JSON`);
  // V2 (Open Inference Protocol) refusals are {"error": "<message>"}; V1's carry a stable code beside the message.
  if (spec.path.startsWith('/v2/')) {
    const body = JSON.parse(text) as V2ErrorBody;
    assertOneLine(body.error, `${what}: error message`);
    return;
  }
  const body = JSON.parse(text) as ErrorBody;
  assert.equal(typeof body.error?.code, 'string', `${what}: no error code`);
  assertOneLine(body.error.message, `${what}: error message`);
}

async function assertServes(app: ModelApp, seed: number): Promise<void> {
  const response = await app.handler(validRequest(seed));
  const text = await response.text();
  assert.equal(response.status, 200, text);
  const { predictions } = JSON.parse(text) as { predictions: unknown[] };
  assert.equal(predictions.length, 1);
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

describe('model server handler under fuzzing (real gan model)', () => {
  let app: ModelApp;

  before(async () => {
    const modelDir = await ensureModel({ model: 'gan', precision: 'fp32' });
    const config = { ...CONFIG_DEFAULTS, modelDir, modelName: 'gan', intraOpThreads: 1, maxBodyBytes: 200_000 };
    app = createModelApp(config, { log: () => undefined });
    await app.ready;
  });

  after(() => app.stop());

  test(`${RUNS} malformed requests are refused with a 4xx JSON error, in bounded memory, and serving goes on`, async () => {
    await assertServes(app, 0);
    const samples = fc.sample(malformedRequest(), { numRuns: RUNS, seed: 1126 });
    let baseline = 0;
    const heap: number[] = [];
    for (let start = 0; start < RUNS; start += BATCH) {
      for (const spec of samples.slice(start, start + BATCH)) await checkRefused(app, spec);
      await assertServes(app, start);
      heap.push(heapUsed());
      if (start === 0) baseline = heap[0]!;
    }
    const growth = Math.max(...heap) - baseline;
    console.log(`heap used after each ${BATCH} requests (MiB): ${heap.map((h) => (h / 2 ** 20).toFixed(1)).join(' ')}`);
    assert.ok(growth < HEAP_GROWTH_LIMIT, `heap grew ${(growth / 2 ** 20).toFixed(1)} MiB over ${RUNS} refusals`);
  });

  test('a shrinking property run finds no request that breaks the rule', async () => {
    // Same rule through fc.assert, so a failure is shrunk to a minimal request.
    await fc.assert(fc.asyncProperty(malformedRequest(), (spec) => checkRefused(app, spec)), { numRuns: 500 });
  });
});
