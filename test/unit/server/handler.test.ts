import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROUTES, type ErrorBody, type PredictResponse } from '../../../src/server/protocol.ts';
import type { ModelApp } from '../../../src/server/model-server.ts';
import { flatImage, ganConfig, get, nested, post, quietApp } from '../../../support/gan-app.ts';

const PREDICT = ROUTES.predict('gan');

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as ErrorBody).error.code;
}

async function predictOk(app: ModelApp, instances: unknown[]): Promise<PredictResponse> {
  const response = await app.handler(post(PREDICT, JSON.stringify({ instances })));
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as PredictResponse;
}

describe('handler over the real gan model', () => {
  let app: ModelApp;

  before(async () => {
    const config = await ganConfig();
    app = quietApp(config).app;
    // Checked synchronously after creation: loading has not finished, so the replica is not ready yet.
    const early = await app.handler(get(ROUTES.ready));
    assert.equal(early.status, 503);
    assert.equal(await errorCode(early), 'not_ready');
    const earlyPredict = await app.handler(post(PREDICT, JSON.stringify({ instances: [flatImage(1)] })));
    assert.equal(earlyPredict.status, 503);
    await app.ready;
  });

  after(() => app.stop());

  test('is live, and ready once warmed up', async () => {
    assert.equal((await app.handler(get(ROUTES.live))).status, 200);
    assert.equal((await app.handler(get(ROUTES.ready))).status, 200);
    const status = (await (await app.handler(get(ROUTES.status('gan')))).json()) as { model_version_status: { state: string }[] };
    assert.equal(status.model_version_status[0]!.state, 'AVAILABLE');
  });

  test('predicts a label and 11 scores per instance; flat and nested images agree', async () => {
    const image = flatImage(3);
    const { predictions } = await predictOk(app, [image, nested(image), flatImage(4)]);
    assert.equal(predictions.length, 3);
    const [flat, deep, other] = predictions as { label: number; scores: number[] }[];
    assert.equal(flat!.scores.length, 11);
    assert.ok(Number.isInteger(flat!.label) && flat!.label >= 0 && flat!.label < 11);
    assert.equal(flat!.label, flat!.scores.indexOf(Math.max(...flat!.scores)));
    assert.deepEqual(deep, flat);
    assert.notDeepEqual(other!.scores, flat!.scores);
  });

  const tooDeep = '{"instances":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
  const badRequests: [string, () => Request, number, string][] = [
    ['malformed JSON', () => post(PREDICT, '{"instances": [1,'), 400, 'bad_json'],
    ['invalid UTF-8', () => post(PREDICT, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, 'bad_json'],
    ['deeply nested JSON', () => post(PREDICT, tooDeep), 400, 'bad_json'],
    ['a body that is not an object', () => post(PREDICT, '[1,2,3]'), 400, 'bad_instances'],
    ['no instances', () => post(PREDICT, '{"inputs": []}'), 400, 'bad_instances'],
    ['empty instances', () => post(PREDICT, '{"instances": []}'), 400, 'bad_instances'],
    ['an image of the wrong size', () => post(PREDICT, JSON.stringify({ instances: [[0.1, 0.2]] })), 400, 'wrong_shape'],
    ['a nested image with a short row', () => post(PREDICT, JSON.stringify({ instances: [nested(flatImage(1)).map((row, y) => (y === 5 ? row.slice(1) : row))] })), 400, 'wrong_shape'],
    ['a string instance', () => post(PREDICT, JSON.stringify({ instances: ['cat.png'] })), 400, 'wrong_type'],
    ['a null pixel', () => post(PREDICT, JSON.stringify({ instances: [flatImage(1).map((v, i) => (i === 7 ? null : v))] })), 400, 'wrong_type'],
    ['an oversized body', () => post(PREDICT, 'x'.repeat(300_000)), 413, 'body_too_large'],
    // The declared length alone refuses it: reading this body would wait forever.
    ['a declared oversized Content-Length', () => post(PREDICT, silentStream(), { 'content-type': 'application/json', 'content-length': '300000' }), 413, 'body_too_large'],
    ['a streamed oversized body without Content-Length', () => post(PREDICT, endlessStream()), 413, 'body_too_large'],
    ['a non-JSON media type', () => post(PREDICT, '{}', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type'],
    ['another model name', () => post(ROUTES.predict('resnet'), '{}'), 404, 'unknown_model'],
    ['GET on predict', () => get(PREDICT), 405, 'method_not_allowed'],
    ['POST on readiness', () => post(ROUTES.ready, '{}'), 405, 'method_not_allowed'],
    ['an unknown path', () => get('/v3/whatever'), 404, 'not_found'],
  ];

  for (const [what, request, status, code] of badRequests) {
    test(`refuses ${what} with ${status} ${code}, then still predicts`, async () => {
      const response = await app.handler(request());
      assert.equal(response.status, status);
      assert.equal(await errorCode(response), code);
      const { predictions } = await predictOk(app, [flatImage(2)]);
      assert.equal(predictions.length, 1);
    });
  }

  test('counts requests by status code in /metrics', async () => {
    const response = await app.handler(get(ROUTES.metrics));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, /^tune_http_requests_total\{code="200"\} [1-9]\d*$/m);
    assert.match(text, /^tune_http_requests_total\{code="400"\} [1-9]\d*$/m);
    assert.match(text, /^tune_batch_size_count [1-9]\d*$/m);
    assert.match(text, /^tune_batch_queue_depth 0$/m);
    assert.match(text, /^tune_http_requests_in_flight 1$/m, 'only the metrics request itself');
  });
});

describe('a replica whose model cannot load', () => {
  test('stays live, reports not ready with the reason, and rejects ready', async () => {
    const config = await ganConfig({ modelDir: '/nonexistent/model' });
    const { app } = quietApp(config);
    await assert.rejects(app.ready, /manifest_missing/);
    assert.equal((await app.handler(get(ROUTES.live))).status, 200);
    const ready = await app.handler(get(ROUTES.ready));
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as ErrorBody).error.message, /failed: .*manifest\.json/);
  });
});

/** Never yields a byte. */
function silentStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ pull: () => new Promise<void>(() => undefined) });
}

/** Never ends: only a reader that stops at the limit can finish on it. */
function endlessStream(): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('[' + '0.5,'.repeat(4096));
  return new ReadableStream({ pull: (controller) => controller.enqueue(chunk) });
}

describe('a full queue', () => {
  test('answers 503 queue_full at once, and the queued requests still complete', async () => {
    // Nothing runs before stop(): batches of 8 never fill and the timeout is far beyond the test.
    const { app } = quietApp(await ganConfig({ maxBatchSize: 8, batchTimeoutUs: 60_000_000, queueBound: 2 }));
    await app.ready;
    const body = () => JSON.stringify({ instances: [flatImage(5)] });
    const queued = [app.handler(post(PREDICT, body())), app.handler(post(PREDICT, body()))];
    while (app.metrics.queueDepth.value < 2) await new Promise((resolve) => setImmediate(resolve));
    const refused = await app.handler(post(PREDICT, body()));
    assert.equal(refused.status, 503);
    assert.equal(await errorCode(refused), 'queue_full');
    const tooMany = await app.handler(post(PREDICT, JSON.stringify({ instances: [flatImage(1), flatImage(2), flatImage(3)] })));
    assert.equal(tooMany.status, 400);
    assert.equal(await errorCode(tooMany), 'bad_instances');
    await app.stop();
    assert.deepEqual(await Promise.all(queued.map(async (response) => (await response).status)), [200, 200]);
  });
});
