import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runOpenLoop } from '../../src/load/open-loop.ts';
import { uniformSource } from '../../src/random/rng.ts';
import type { OpenLoopOptions } from '../../src/load/types.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const servers: TestServer[] = [];
after(async () => Promise.all(servers.map((server) => server.close())));

function options(url: string, overrides: Partial<OpenLoopOptions>): OpenLoopOptions {
  return {
    urls: [url],
    path: '/v1/models/m:predict',
    schedule: [{ rateRps: 20, durationS: 0.5 }],
    arrivals: 'constant',
    warmupS: 0,
    requestTimeoutMs: 5000,
    bodies: () => '{"instances":[1]}',
    random: uniformSource(3),
    ...overrides,
  };
}

describe('open loop', () => {
  test('counts queueing: above capacity, latency grows far beyond the service time', async () => {
    // One request at a time, 20 ms each: capacity 50 rps. Offer 100 rps for 0.6 s.
    const target = await startTestServer({ delayMs: () => 20, serial: true });
    servers.push(target);
    const outcome = await runOpenLoop(options(target.url, { schedule: [{ rateRps: 100, durationS: 0.6 }] }));
    assert.ok(outcome.ok);
    const { latency, completed } = outcome.result;
    assert.equal(completed, 60);
    // The last arrivals wait behind ~30 earlier requests: ~600 ms. The mean is far above 20 ms too.
    assert.ok(latency.max > 300, `max ${latency.max} ms`);
    assert.ok(latency.mean > 100, `mean ${latency.mean} ms`);
  });

  test('sends the scheduled number of requests and excludes the warm-up', async () => {
    const target = await startTestServer({ delayMs: () => 2 });
    servers.push(target);
    const schedule = [
      { rateRps: 40, durationS: 0.5 },
      { rateRps: 80, durationS: 0.5 },
    ];
    const outcome = await runOpenLoop(options(target.url, { schedule, warmupS: 0.25 }));
    assert.ok(outcome.ok);
    assert.equal(outcome.result.completed, 20 + 40);
    assert.deepEqual(
      outcome.result.steps.map((step) => step.result.completed),
      [20, 40],
    );
    assert.equal(target.received(), 10 + 20 + 40);
    assert.equal(outcome.result.offeredRps, 60);
  });

  test('Poisson arrivals counted by kind of answer, 503s apart from latency', async () => {
    const target = await startTestServer({ delayMs: () => 1, status: (n) => (n % 2 === 0 ? 503 : 200) });
    servers.push(target);
    const outcome = await runOpenLoop(options(target.url, { arrivals: 'poisson', schedule: [{ rateRps: 200, durationS: 0.4 }] }));
    assert.ok(outcome.ok);
    const errors = outcome.result.errors.http_503 ?? 0;
    assert.equal(errors + outcome.result.completed, target.received());
    assert.equal(outcome.result.latency.count, outcome.result.completed);
    assert.ok(Math.abs(errors - outcome.result.completed) <= 1);
  });

  test('rejects an empty schedule', async () => {
    const outcome = await runOpenLoop(options('http://127.0.0.1:9', { schedule: [] }));
    assert.equal(outcome.ok ? '' : outcome.error.code, 'invalid_load_options');
  });

  test('an abort during a long pause ends the open loop at once', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const schedule = [
      { rateRps: 0, durationS: 60 },
      { rateRps: 10, durationS: 1 },
    ];
    const outcome = await runOpenLoop(options('http://127.0.0.1:9', { schedule, signal: controller.signal }));
    assert.equal(outcome.ok ? '' : outcome.error.code, 'load_aborted');
  });
});
