/**
 * Live reconfiguration through the handler (ROUTES.config) over the real gan model and real ONNX Runtime
 * sessions on the inference thread: validation as the environment's, refusal while busy, batch limits that
 * the batcher really uses, and reloads that keep predictions, or keep the old sessions when they fail.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CONFIG_DEFAULTS, parseServerConfig } from '../../../src/server/config.ts';
import type { ModelApp } from '../../../src/server/model-server.ts';
import {
  ROUTES,
  SERVER_ENV,
  type ConfigChangeRequest,
  type ConfigChangeResponse,
  type CurrentConfigResponse,
  type ErrorBody,
  type PredictResponse,
} from '../../../src/server/protocol.ts';
import { flatImage, ganConfig, get, post, quietApp } from '../../../support/gan-app.ts';

const PREDICT = ROUTES.predict('gan');

function postConfig(app: ModelApp, env: Record<string, unknown>): Promise<Response> {
  return app.handler(post(ROUTES.config, JSON.stringify({ env })));
}

async function changed(app: ModelApp, env: ConfigChangeRequest['env']): Promise<ConfigChangeResponse> {
  const response = await postConfig(app, env);
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as ConfigChangeResponse;
}

async function refusal(response: Response): Promise<{ status: number; code: string; message: string }> {
  const { error } = (await response.json()) as ErrorBody;
  assert.doesNotMatch(error.message, /\n/);
  return { status: response.status, ...error };
}

async function currentEnv(app: ModelApp): Promise<CurrentConfigResponse['env']> {
  const response = await app.handler(get(ROUTES.config));
  assert.equal(response.status, 200);
  return ((await response.json()) as CurrentConfigResponse).env;
}

async function predictions(app: ModelApp, instances: unknown[]): Promise<unknown[]> {
  const response = await app.handler(post(PREDICT, JSON.stringify({ instances })));
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as PredictResponse).predictions;
}

async function metricsText(app: ModelApp): Promise<string> {
  return (await app.handler(get(ROUTES.metrics))).text();
}

/** Rejects when `promise` takes longer than `ms`: a batch that waits for its timeout shows up as a failure, not a slow pass. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

const INSTANCES = [flatImage(1), flatImage(2), flatImage(3)];

describe('GET and validation of /v1/admin/config (real gan model)', () => {
  let app: ModelApp;

  before(async () => {
    app = quietApp(await ganConfig({ maxBatchSize: 2, batchTimeoutUs: 500, queueBound: 32 })).app;
    await app.ready;
  });

  after(() => app.stop());

  test('GET answers the seven tuned knobs by environment name, as strings', async () => {
    assert.deepEqual(await currentEnv(app), {
      TUNE_MAX_BATCH_SIZE: '2',
      TUNE_BATCH_TIMEOUT_US: '500',
      TUNE_QUEUE_BOUND: '32',
      TUNE_INTRA_OP_THREADS: '1',
      TUNE_INTER_OP_THREADS: '0',
      TUNE_EXECUTION_MODE: 'sequential',
      TUNE_GRAPH_OPT_LEVEL: 'all',
    });
  });

  const badValues: [string, string][] = [
    [SERVER_ENV.maxBatchSize, '0'],
    [SERVER_ENV.maxBatchSize, 'big'],
    [SERVER_ENV.batchTimeoutUs, '1.5'],
    [SERVER_ENV.batchTimeoutUs, '10000001'],
    [SERVER_ENV.queueBound, '0'],
    [SERVER_ENV.intraOpThreads, '-1'],
    [SERVER_ENV.interOpThreads, '1025'],
    [SERVER_ENV.executionMode, 'turbo'],
    [SERVER_ENV.graphOptimizationLevel, 'max'],
  ];
  for (const [name, value] of badValues) {
    test(`${name}=${JSON.stringify(value)} is refused with the environment parser's own line`, async () => {
      const fromEnv = parseServerConfig({ [SERVER_ENV.modelDir]: '/models/gan', [name]: value });
      assert.ok(!fromEnv.ok);
      const answer = await refusal(await postConfig(app, { [name]: value }));
      assert.deepEqual(answer, { status: 400, code: 'bad_config', message: fromEnv.message });
    });
  }

  for (const name of [SERVER_ENV.port, SERVER_ENV.modelDir, SERVER_ENV.host, SERVER_ENV.maxBodyBytes, 'TUNE_TURBO']) {
    test(`${name} is refused naming it: it needs a new deployment`, async () => {
      const answer = await refusal(await postConfig(app, { [SERVER_ENV.maxBatchSize]: '4', [name]: '1' }));
      assert.equal(answer.status, 400);
      assert.equal(answer.code, 'bad_config');
      assert.match(answer.message, new RegExp(`^"?${name}"? .*needs a new deployment`));
    });
  }

  const badShapes: [string, string][] = [
    ['a body that is not an object', '[1]'],
    ['no env', '{"knobs": {}}'],
    ['an env that is not an object', '{"env": "TUNE_MAX_BATCH_SIZE=8"}'],
    ['a number where the environment has a string', '{"env": {"TUNE_MAX_BATCH_SIZE": 8}}'],
  ];
  for (const [what, body] of badShapes) {
    test(`${what} is 400 bad_request`, async () => {
      const answer = await refusal(await app.handler(post(ROUTES.config, body)));
      assert.equal(answer.status, 400);
      assert.equal(answer.code, 'bad_request');
    });
  }

  test('malformed JSON is bad_json and other methods are 405; nothing changed', async () => {
    assert.equal((await refusal(await app.handler(post(ROUTES.config, '{"env":')))).code, 'bad_json');
    const put = await app.handler(new Request(`http://replica${ROUTES.config}`, { method: 'PUT', body: '{}' }));
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST');
    assert.equal((await currentEnv(app)).TUNE_MAX_BATCH_SIZE, '2');
  });

  test('the same values, or none, are "unchanged"', async () => {
    assert.deepEqual(await changed(app, {}), { applied: 'unchanged', reload_ms: 0, env: await currentEnv(app) });
    const same = await changed(app, { TUNE_MAX_BATCH_SIZE: '2', TUNE_GRAPH_OPT_LEVEL: 'all' });
    assert.equal(same.applied, 'unchanged');
  });
});

describe('a change while the replica is busy', () => {
  test('is refused with 409 busy while a batch is being formed, and the queued request still completes', async () => {
    // Nothing runs before stop(): a batch of 8 never fills and the timeout is far beyond the test.
    const { app } = quietApp(await ganConfig({ maxBatchSize: 8, batchTimeoutUs: 60_000_000 }));
    await app.ready;
    const queued = app.handler(post(PREDICT, JSON.stringify({ instances: [flatImage(1)] })));
    await until(() => app.metrics.queueDepth.value === 1);
    const answer = await refusal(await postConfig(app, { TUNE_MAX_BATCH_SIZE: '1' }));
    assert.equal(answer.status, 409);
    assert.equal(answer.code, 'busy');
    assert.equal(answer.message, 'requests are in flight: a batch is being formed from 1 queued instance; retry once the load has stopped (the configuration changes only between measurements)');
    assert.equal((await currentEnv(app)).TUNE_MAX_BATCH_SIZE, '8');
    await app.stop();
    assert.equal((await queued).status, 200);
  });
});

describe('batch knobs change in place', () => {
  let app: ModelApp;
  let logs: string[];

  before(async () => {
    ({ app, logs } = quietApp(await ganConfig({ maxBatchSize: 8, batchTimeoutUs: 60_000_000 })));
    await app.ready;
  });

  after(() => app.stop());

  test('the batcher runs batches of the new maximum size at once, without a reload', async () => {
    const answer = await changed(app, { TUNE_MAX_BATCH_SIZE: '3' });
    assert.equal(answer.applied, 'reconfigured');
    assert.equal(answer.reload_ms, 0);
    assert.equal(answer.env.TUNE_MAX_BATCH_SIZE, '3');
    // Under the old size of 8 these three would wait for the 60 s timeout; under 3 they run together now.
    const three = INSTANCES.map((image) => predictions(app, [image]));
    await within(10_000, Promise.all(three), 'a full batch of 3');
    let text = await metricsText(app);
    assert.match(text, /^tune_batch_size_count 1$/m);
    assert.match(text, /^tune_batch_size_sum 3$/m);

    assert.equal((await changed(app, { TUNE_MAX_BATCH_SIZE: '2' })).applied, 'reconfigured');
    const four = [1, 2, 3, 4].map((seed) => predictions(app, [flatImage(seed)]));
    await within(10_000, Promise.all(four), 'two full batches of 2');
    text = await metricsText(app);
    assert.match(text, /^tune_batch_size_count 3$/m);
    assert.match(text, /^tune_batch_size_sum 7$/m);
    assert.match(text, /^tune_server_reconfigurations_total\{applied="reconfigured"\} 2$/m);
    const logged = logs.map((line) => JSON.parse(line) as { event: string; applied?: string; changed?: unknown }).filter((line) => line.event === 'config_changed');
    assert.deepEqual(logged.at(-1), { event: 'config_changed', applied: 'reconfigured', reloadMs: 0, changed: { TUNE_MAX_BATCH_SIZE: { from: '3', to: '2' } } });
  });

  test('a new queue bound and timeout apply to the next request', async () => {
    await changed(app, { TUNE_QUEUE_BOUND: '2', TUNE_BATCH_TIMEOUT_US: '1000' });
    const tooMany = await refusal(await app.handler(post(PREDICT, JSON.stringify({ instances: INSTANCES }))));
    assert.equal(tooMany.code, 'bad_instances');
    assert.match(tooMany.message, /queue bound of 2/);
    // A lone instance under a batch size of 2 now waits 1 ms, not 60 s.
    await within(10_000, predictions(app, [flatImage(5)]), 'an under-full batch after its 1 ms timeout');
  });
});

describe('session knobs reload the sessions in place (real ONNX Runtime)', () => {
  let app: ModelApp;
  let logs: string[];

  before(async () => {
    ({ app, logs } = quietApp(await ganConfig({ maxBatchSize: 1, intraOpThreads: 1, graphOptimizationLevel: 'all' })));
    await app.ready;
  });

  after(() => app.stop());

  test('new threads and execution mode (with a batch size) serve the very same predictions after a reload', async () => {
    const before = await predictions(app, INSTANCES);
    const request = { TUNE_INTRA_OP_THREADS: '2', TUNE_INTER_OP_THREADS: '2', TUNE_EXECUTION_MODE: 'parallel', TUNE_MAX_BATCH_SIZE: '4' } as const;
    const reloading = postConfig(app, request);
    await until(() => app.host.phase === 'reloading');
    const ready = await refusal(await app.handler(get(ROUTES.ready)));
    assert.deepEqual([ready.status, ready.code], [503, 'not_ready']);
    assert.match(ready.message, /reloading/);
    const predict = await refusal(await app.handler(post(PREDICT, JSON.stringify({ instances: [flatImage(1)] }))));
    assert.deepEqual([predict.status, predict.code], [503, 'reloading']);
    const second = await refusal(await postConfig(app, { TUNE_INTRA_OP_THREADS: '1' }));
    assert.deepEqual([second.status, second.code], [409, 'busy']);

    const response = await reloading;
    assert.equal(response.status, 200, await response.clone().text());
    const answer = (await response.json()) as ConfigChangeResponse;
    assert.equal(answer.applied, 'reloaded');
    assert.ok(Number.isInteger(answer.reload_ms) && answer.reload_ms > 0, `reload_ms ${answer.reload_ms}`);
    assert.deepEqual(answer.env, { ...(await currentEnv(app)), ...request });
    assert.equal((await app.handler(get(ROUTES.ready))).status, 200);
    assert.deepEqual(await predictions(app, INSTANCES), before);
    assert.match(await metricsText(app), /^tune_server_reconfigurations_total\{applied="reloaded"\} 1$/m);
    const logged = logs.map((line) => JSON.parse(line) as { event: string; applied?: string; reloadMs?: number }).find((line) => line.event === 'config_changed');
    assert.equal(logged?.applied, 'reloaded');
    assert.equal(logged?.reloadMs, answer.reload_ms);
  });

  test('another graph optimization level predicts the same up to float rounding, and going back exactly the same', async () => {
    const before = await predictions(app, INSTANCES);
    assert.equal((await changed(app, { TUNE_GRAPH_OPT_LEVEL: 'basic' })).applied, 'reloaded');
    assertClosePredictions(await predictions(app, INSTANCES), before);
    const back = await changed(app, { TUNE_INTRA_OP_THREADS: '1', TUNE_INTER_OP_THREADS: '0', TUNE_EXECUTION_MODE: 'sequential', TUNE_GRAPH_OPT_LEVEL: 'all', TUNE_MAX_BATCH_SIZE: '1' });
    assert.equal(back.applied, 'reloaded');
    assert.deepEqual(await predictions(app, INSTANCES), before);
  });
});

describe('a reload whose sessions cannot be opened', () => {
  let modelDir: string;
  let app: ModelApp;
  let logs: string[];

  before(async () => {
    modelDir = mkdtempSync(join(tmpdir(), 'tune-reload-'));
    cpSync((await ganConfig()).modelDir, modelDir, { recursive: true });
    ({ app, logs } = quietApp(await ganConfig({ modelDir, maxBatchSize: 1, queueBound: 8 })));
    await app.ready;
  });

  after(async () => {
    await app.stop();
    rmSync(modelDir, { recursive: true, force: true });
  });

  test('answers 500 reload_failed and keeps serving with the old sessions and batch limits, all of them', async () => {
    const before = await predictions(app, INSTANCES);
    const env = await currentEnv(app);
    // The running sessions were read from this file at start; new ones must read it again, and cannot.
    writeFileSync(join(modelDir, 'model.onnx'), 'not an onnx graph');
    const answer = await refusal(await postConfig(app, { TUNE_INTRA_OP_THREADS: '2', TUNE_QUEUE_BOUND: '1' }));
    assert.equal(answer.status, 500);
    assert.equal(answer.code, 'reload_failed');
    assert.match(answer.message, /^the reload for TUNE_QUEUE_BOUND, TUNE_INTRA_OP_THREADS failed, still serving with the previous configuration: opening sessions with the new options failed: .*model\.onnx/);
    assert.deepEqual(await currentEnv(app), env);
    assert.equal((await app.handler(get(ROUTES.ready))).status, 200);
    // Still the old queue bound of 8: three instances in one request fit.
    assert.deepEqual(await predictions(app, INSTANCES), before);
    assert.match(await metricsText(app), /^tune_server_reload_failures_total 1$/m);
    assert.ok(logs.some((line) => (JSON.parse(line) as { event: string }).event === 'config_reload_failed'));
    // Batch knobs alone need no new sessions, so they still change.
    assert.equal((await changed(app, { TUNE_MAX_BATCH_SIZE: '2' })).applied, 'reconfigured');
  });
});

describe('stopping during a reload', () => {
  test('ends the reload with reload_failed and the replica stops, releasing both sets of sessions', async () => {
    const { app } = quietApp(await ganConfig({ maxBatchSize: 4 }));
    await app.ready;
    const reloading = postConfig(app, { TUNE_INTRA_OP_THREADS: '2' });
    await until(() => app.host.phase === 'reloading');
    await within(30_000, app.stop(), 'stop during a reload');
    const answer = await refusal(await reloading);
    assert.deepEqual([answer.status, answer.code], [500, 'reload_failed']);
    assert.match(answer.message, /the replica is stopping/);
    assert.equal(app.host.phase, 'stopping');
  });
});

describe('a change before the model is ready', () => {
  test('is refused with 503 not_ready; GET answers the starting values', async () => {
    const { app } = quietApp(await ganConfig());
    const answer = await refusal(await postConfig(app, { TUNE_MAX_BATCH_SIZE: '4' }));
    assert.deepEqual([answer.status, answer.code], [503, 'not_ready']);
    assert.equal((await currentEnv(app)).TUNE_MAX_BATCH_SIZE, String(CONFIG_DEFAULTS.maxBatchSize));
    await app.ready;
    await app.stop();
  });
});

/** Same labels; scores equal up to float rounding, which another graph optimization level changes (fused kernels). */
function assertClosePredictions(actual: unknown[], expected: unknown[]): void {
  const rows = (list: unknown[]) => list as { label: number; scores: number[] }[];
  assert.deepEqual(rows(actual).map((row) => row.label), rows(expected).map((row) => row.label));
  rows(actual).forEach((row, i) => {
    row.scores.forEach((score, j) => assert.ok(Math.abs(score - rows(expected)[i]!.scores[j]!) <= 1e-5 * Math.max(1, Math.abs(score)), `instance ${i} score ${j}: ${score} vs ${rows(expected)[i]!.scores[j]}`));
  });
}
