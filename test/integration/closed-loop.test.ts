import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { runClosedLoop } from '../../src/load/closed-loop.ts';
import type { ClosedLoopOptions, LoadResult, WindowProgress } from '../../src/load/types.ts';
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

  test('a monitor that says stop ends the window there, as its normal end would', async () => {
    const target = await server({ delayMs: () => 5 });
    let stoppedAt: WindowProgress | undefined;
    const startedAt = performance.now();
    const result = await closedLoop({
      urls: [target.url],
      concurrency: 2,
      durationS: 10,
      monitor: {
        everyS: 0.25,
        stop: (progress) => {
          if (progress.elapsedS < 1) return false;
          stoppedAt = progress;
          return true;
        },
      },
    });
    const wallS = (performance.now() - startedAt) / 1000;
    assert.equal(result.stoppedEarly, true);
    assert.ok(result.durationS >= 1 && result.durationS < 3, `window ${result.durationS} s`);
    assert.ok(wallS < 5, `the run took ${wallS} s of a 10 s window`);
    assert.equal(result.throughputRps, result.completed / result.durationS);
    // Exactly what the monitor saw is counted: nothing answered after the stop, in flight or not.
    assert.equal(result.completed, stoppedAt?.completed);
    assert.equal(result.latency.count, stoppedAt?.completed);
    assert.ok(result.completed > 0 && result.completed <= result.durationS * 2 * (1000 / 5), `${result.completed} requests`);
  });

  test('a monitor that never says stop leaves the window as it was', async () => {
    const target = await server({ delayMs: () => 5 });
    const looks: WindowProgress[] = [];
    const result = await closedLoop({
      urls: [target.url],
      concurrency: 2,
      durationS: 0.6,
      monitor: {
        everyS: 0.1,
        stop: (progress) => {
          looks.push(progress);
          return false;
        },
      },
    });
    assert.equal(result.durationS, 0.6);
    assert.equal('stoppedEarly' in result, false);
    assert.equal(result.throughputRps, result.completed / 0.6);
    assert.ok(looks.length >= 3 && looks.length <= 5, `${looks.length} looks`); // at 0.1 … 0.5 s, none at the end
    assert.ok(looks.every((look, index) => index === 0 || look.elapsedS > (looks[index - 1]?.elapsedS ?? 0)));
    assert.ok(looks.every((look) => look.completed <= result.completed && look.elapsedS < 0.6));
  });

  test('the monitor is not shown the warm-up', async () => {
    const target = await server({ delayMs: () => 2 });
    const lookTimesMs: number[] = [];
    const firstLooks: WindowProgress[] = [];
    const startedAt = performance.now();
    await closedLoop({
      urls: [target.url],
      warmupS: 0.5,
      durationS: 0.4,
      monitor: {
        everyS: 0.05,
        stop: (progress) => {
          lookTimesMs.push(performance.now() - startedAt);
          firstLooks.push(progress);
          return false;
        },
      },
    });
    assert.ok(lookTimesMs.length > 0);
    assert.ok(lookTimesMs.every((at) => at >= 500), `looks at ${lookTimesMs.map((at) => at.toFixed(0)).join(', ')} ms`);
    assert.ok(firstLooks.every((look) => look.elapsedS >= 0.05));
    // The first look counts only the window's first 50 ms, not the warm-up's requests.
    const first = firstLooks[0];
    assert.ok(first !== undefined && first.completed + first.errors <= (first.elapsedS * 1000) / 2 + 1, JSON.stringify(first));
  });

  test('a monitor that throws fails the run with its error; a monitor that cannot look is refused', async () => {
    const target = await server({ delayMs: () => 2 });
    const failing = closedLoop({
      urls: [target.url],
      durationS: 5,
      monitor: {
        everyS: 0.05,
        stop: () => {
          throw new Error('monitor broke');
        },
      },
    });
    await assert.rejects(failing, /monitor broke/);
    const refused = await runClosedLoop({
      urls: [target.url],
      path: '/',
      concurrency: 1,
      warmupS: 0,
      durationS: 1,
      requestTimeoutMs: 1000,
      bodies: () => '{}',
      monitor: { everyS: 0, stop: () => false },
    });
    assert.equal(refused.ok ? '' : refused.error.code, 'invalid_load_options');
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
