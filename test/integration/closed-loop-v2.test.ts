/**
 * The closed-loop load generator speaking V2 to the real server (gan, real ONNX Runtime, real sockets): the
 * bodies are the study's own (requestBodies with api v2, encodeInferRequest over the seeded workload), sent
 * to /v2/models/gan/infer; latency, errors and the closed loop are as with V1, shedding included.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { modelSource, requestBodies } from '../../src/app/model.ts';
import { runClosedLoop } from '../../src/load/closed-loop.ts';
import type { ClosedLoopOptions, LoadResult } from '../../src/load/types.ts';
import { ensureModel } from '../../src/models/index.ts';
import { CONFIG_DEFAULTS, type ServerConfig } from '../../src/server/config.ts';
import { readManifest } from '../../src/server/model-loader.ts';
import { startModelServer, type RunningServer } from '../../src/server/model-server.ts';
import { inferencePath } from '../../src/server/protocol.ts';

const running: RunningServer[] = [];
after(() => Promise.all(running.map((server) => server.stop())));

async function server(overrides: Partial<ServerConfig>): Promise<RunningServer> {
  const modelDir = await ensureModel({ model: 'gan', precision: 'fp32' });
  const started = await startModelServer({ ...CONFIG_DEFAULTS, modelDir, modelName: 'gan', port: 0, intraOpThreads: 1, ...overrides }, { log: () => undefined });
  running.push(started);
  await started.ready;
  return started;
}

async function v2Load(target: RunningServer, options: Partial<ClosedLoopOptions>): Promise<LoadResult> {
  const read = readManifest(await ensureModel({ model: 'gan', precision: 'fp32' }));
  assert.ok(read.ok);
  const outcome = await runClosedLoop({
    urls: [target.http.url],
    path: inferencePath('v2', 'gan'),
    concurrency: 4,
    warmupS: 0,
    durationS: 0,
    requestTimeoutMs: 30_000,
    bodies: requestBodies(modelSource('gan'), read.manifest, 1, 'v2'),
    ...options,
  });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  return outcome.result;
}

function v2Requests(target: RunningServer): number {
  return target.metrics.apiRequests.get('v2');
}

describe('closed loop speaking V2 to the real gan server', () => {
  let target: RunningServer;

  before(async () => {
    target = await server({ maxBatchSize: 4 });
  });

  test('every V2 request is answered 200 and counted as V2 by the server', async () => {
    const result = await v2Load(target, { concurrency: 4, maxRequests: 60 });
    assert.equal(result.completed, 60);
    assert.deepEqual(result.errors, {});
    assert.ok(result.latency.p50 > 0 && result.latency.max >= result.latency.p99);
    assert.ok(v2Requests(target) >= 60, `server counted ${v2Requests(target)} V2 requests`);
    assert.equal(target.metrics.apiRequests.get('v1'), 0);
  });

  test('a full queue sheds V2 requests as 503, counted as http_503 and never as latencies', async () => {
    const small = await server({ maxBatchSize: 1, queueBound: 1 });
    const result = await v2Load(small, { concurrency: 8, maxRequests: 40 });
    const shed = result.errors.http_503 ?? 0;
    assert.ok(shed > 0, JSON.stringify(result.errors));
    assert.deepEqual(Object.keys(result.errors), ['http_503']);
    assert.equal(result.completed + shed, 40); // the window counts every answered request
    assert.equal(result.histogram.reduce((sum, bucket) => sum + bucket.count, 0), result.completed);
    assert.ok(small.metrics.requests.get('503') >= shed);
    assert.ok(v2Requests(small) >= 40);
  });
});
