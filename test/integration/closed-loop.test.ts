import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runClosedLoop } from '../../src/load/closed-loop.ts';
import type { ClosedLoopOptions, LoadResult } from '../../src/load/types.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const servers: TestServer[] = [];
after(async () => Promise.all(servers.map((server) => server.close())));

async function server(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const started = await startTestServer(options);
  servers.push(started);
  return started;
}

async function closedLoop(options: Partial<ClosedLoopOptions> & { urls: string[] }): Promise<LoadResult> {
  const outcome = await runClosedLoop({
    path: '/v1/models/m:predict',
    concurrency: 1,
    warmupS: 0,
    durationS: 0,
    requestTimeoutMs: 5000,
    bodies: () => '{"instances":[1]}',
    ...options,
  });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  return outcome.result;
}

describe('closed loop', () => {
  test('keeps exactly N requests outstanding, never more', async () => {
    const target = await server({ delayMs: () => 15 });
    const result = await closedLoop({ urls: [target.url], concurrency: 12, maxRequests: 120 });
    assert.equal(target.maxInFlight(), 12);
    assert.equal(result.completed, 120);
  });

  test('spreads the N outstanding over every replica', async () => {
    const [first, second] = [await server({ delayMs: () => 10 }), await server({ delayMs: () => 10 })];
    await closedLoop({ urls: [first.url, second.url], concurrency: 8, maxRequests: 80 });
    assert.equal(first.maxInFlight() + second.maxInFlight(), 8);
    assert.ok(first.received() > 20 && second.received() > 20, `${first.received()} / ${second.received()}`);
  });

  test('does not count the warm-up', async () => {
    // The first two requests are slow and answered well inside the 1 s warm-up.
    const target = await server({ delayMs: (n) => (n < 2 ? 100 : 2) });
    const result = await closedLoop({ urls: [target.url], warmupS: 1, maxRequests: 30 });
    assert.equal(result.completed, 30);
    assert.ok(result.latency.max < 100, `max ${result.latency.max} ms includes a warm-up request`);
    assert.ok(target.received() >= 32);
  });

  test('counts a 503 as http_503, never as a latency', async () => {
    const target = await server({ delayMs: () => 1, status: (n) => (n % 4 === 0 ? 503 : n % 4 === 1 ? 500 : 200) });
    const result = await closedLoop({ urls: [target.url], maxRequests: 40 });
    assert.equal(result.errors.http_503, 10);
    assert.equal(result.errors.http_5xx, 10);
    assert.equal(result.completed, 20);
    assert.equal(result.latency.count, 20);
  });

  test('classifies a refused connection and a timeout', async () => {
    const gone = await server({ delayMs: () => 1 });
    await gone.close();
    const refused = await closedLoop({ urls: [gone.url], maxRequests: 3 });
    assert.equal(refused.errors.connection, 3);

    const slow = await server({ delayMs: () => 400 });
    const timedOut = await closedLoop({ urls: [slow.url], maxRequests: 2, requestTimeoutMs: 50 });
    assert.equal(timedOut.errors.timeout, 2);
    assert.equal(timedOut.completed, 0);
  });

  test('histogram counts sum to the completed requests', async () => {
    const target = await server({ delayMs: (n) => 1 + (n % 7) * 3 });
    const result = await closedLoop({ urls: [target.url], concurrency: 4, maxRequests: 200 });
    const total = result.histogram.reduce((sum, bucket) => sum + bucket.count, 0);
    assert.equal(total, result.completed);
    assert.ok(result.histogram.length > 1);
    assert.ok(result.latency.p50 <= result.latency.p99 && result.latency.p99 <= result.latency.max);
  });

  test('stops when the window duration ends and reports its length', async () => {
    const target = await server({ delayMs: () => 5 });
    const result = await closedLoop({ urls: [target.url], concurrency: 2, durationS: 0.5 });
    assert.equal(result.durationS, 0.5);
    assert.ok(result.completed > 0);
    assert.equal(result.throughputRps, result.completed / 0.5);
  });

  test('an abort ends the run with load_aborted', async () => {
    const target = await server({ delayMs: () => 5 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await runClosedLoop({
      urls: [target.url],
      path: '/',
      concurrency: 2,
      warmupS: 0,
      durationS: 30,
      requestTimeoutMs: 1000,
      bodies: () => '{}',
      signal: controller.signal,
    });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.ok ? '' : outcome.error.code, 'load_aborted');
  });

  test('rejects impossible options with one line', async () => {
    const outcome = await runClosedLoop({
      urls: [],
      path: '/',
      concurrency: 1,
      warmupS: 0,
      durationS: 1,
      requestTimeoutMs: 1000,
      bodies: () => '{}',
    });
    assert.equal(outcome.ok ? '' : outcome.error.code, 'invalid_load_options');
  });
});
