import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request as httpRequest } from 'node:http';
import { ROUTES, type ErrorBody, type PredictResponse } from '../../../src/server/protocol.ts';
import { startModelServer, type RunningServer } from '../../../src/server/model-server.ts';
import { flatImage, ganConfig } from './gan-app.ts';

const PREDICT = ROUTES.predict('gan');

function predictBody(seed: number): string {
  return JSON.stringify({ instances: [flatImage(seed)] });
}

/** POSTs a body in chunks with no Content-Length (chunked encoding), as a streaming client would. */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (body += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const writeNext = (i: number): void => {
      if (i === chunks.length) return void req.end();
      if (req.destroyed) return;
      req.write(chunks[i], () => writeNext(i + 1));
    };
    writeNext(0);
  });
}

describe('node:http adapter over the real gan model', () => {
  let server: RunningServer;

  before(async () => {
    server = await startModelServer(await ganConfig({ port: 0, maxBatchSize: 4, batchTimeoutUs: 2000 }), { log: () => undefined });
    await server.ready;
  });

  after(() => server.stop());

  test('binds 127.0.0.1 and serves a prediction', async () => {
    assert.match(server.http.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(server.http.url + PREDICT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: predictBody(1) });
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as PredictResponse;
    assert.equal(predictions.length, 1);
  });

  test('answers a streamed oversized body with 413 and keeps serving', async () => {
    const chunk = '[' + '0.5,'.repeat(8192);
    const refused = await postChunked(server.http.url + PREDICT, Array.from({ length: 10 }, () => chunk));
    assert.equal(refused.status, 413);
    assert.equal((JSON.parse(refused.body) as ErrorBody).error.code, 'body_too_large');
    const response = await fetch(server.http.url + ROUTES.ready);
    assert.equal(response.status, 200);
  });

  test('groups concurrent requests into batches', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => fetch(server.http.url + PREDICT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: predictBody(i) })),
    );
    assert.ok(responses.every((response) => response.status === 200));
    const metrics = await (await fetch(server.http.url + ROUTES.metrics)).text();
    const batches = Number(/^tune_batch_size_count (\d+)$/m.exec(metrics)?.[1]);
    const instances = Number(/^tune_batch_size_sum (\d+)$/m.exec(metrics)?.[1]);
    assert.ok(batches < instances, `${instances} instances ran in ${batches} batches`);
  });
});

describe('graceful stop', () => {
  test('finishes in-flight requests, then refuses connections', async () => {
    // A long batch timeout keeps the requests queued until stop() flushes them.
    const server = await startModelServer(await ganConfig({ port: 0, maxBatchSize: 8, batchTimeoutUs: 60_000_000 }), { log: () => undefined });
    await server.ready;
    const url = server.http.url;
    const inFlight = Array.from({ length: 6 }, (_, i) =>
      fetch(url + PREDICT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: predictBody(i) }),
    );
    while (server.metrics.queueDepth.value < 6) await new Promise((resolve) => setImmediate(resolve));
    await server.stop();
    const statuses = await Promise.all(inFlight.map(async (response) => (await response).status));
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
    await assert.rejects(fetch(url + ROUTES.live));
  });
});
