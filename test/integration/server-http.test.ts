import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { ROUTES, type ConfigChangeResponse, type CurrentConfigResponse, type ErrorBody, type PredictResponse } from '../../src/server/protocol.ts';
import { startModelServer, type RunningServer } from '../../src/server/model-server.ts';
import { flatImage, ganConfig } from '../../support/gan-app.ts';

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
    server = await startModelServer(await ganConfig({ port: 0 }), { log: () => undefined });
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

  test('answers a Host header that cannot form a URL with 400', async () => {
    const { port } = new URL(server.http.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write('GET /v1/health/live HTTP/1.1\r\nHost: bad host\r\n\r\n');
    const [reply] = (await once(socket, 'data')) as [Buffer];
    socket.destroy();
    assert.match(reply.toString('latin1'), /^HTTP\/1\.1 400 /);
  });

  test('discards a body refused before reading and serves the next request on the same connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, contentType: string, body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(server.http.url + path, { method: 'POST', agent, headers: { 'content-type': contentType } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    assert.equal(await send(PREDICT, 'text/plain', 'x'.repeat(50_000)), 415);
    assert.equal(await send(PREDICT, 'application/json', predictBody(3)), 200);
    agent.destroy();
  });
});

describe('batching over HTTP', () => {
  test('eight concurrent requests run as two full batches of four', async () => {
    // A timeout far beyond the test means only a full batch can run, whatever the machine's speed.
    const server = await startModelServer(await ganConfig({ port: 0, maxBatchSize: 4, batchTimeoutUs: 60_000_000 }), { log: () => undefined });
    await server.ready;
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => fetch(server.http.url + PREDICT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: predictBody(i) })),
    );
    assert.deepEqual(responses.map((response) => response.status), Array(8).fill(200));
    const metrics = await (await fetch(server.http.url + ROUTES.metrics)).text();
    assert.match(metrics, /^tune_batch_size_count 2$/m);
    assert.match(metrics, /^tune_batch_size_sum 8$/m);
    await server.stop();
  });
});

describe('live reconfiguration over HTTP', () => {
  test('the config route answers on the serving listener; a reload there changes how batches form', async () => {
    const server = await startModelServer(await ganConfig({ port: 0, maxBatchSize: 4, batchTimeoutUs: 60_000_000 }), { log: () => undefined });
    await server.ready;
    const url = server.http.url;
    const current = (await (await fetch(url + ROUTES.config)).json()) as CurrentConfigResponse;
    assert.equal(current.env.TUNE_MAX_BATCH_SIZE, '4');
    const env = { TUNE_INTRA_OP_THREADS: '2', TUNE_MAX_BATCH_SIZE: '2' };
    const response = await fetch(url + ROUTES.config, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env }) });
    assert.equal(response.status, 200);
    const changed = (await response.json()) as ConfigChangeResponse;
    assert.deepEqual([changed.applied, changed.env.TUNE_INTRA_OP_THREADS, changed.env.TUNE_MAX_BATCH_SIZE], ['reloaded', '2', '2']);
    // Under batches of 4 that never time out, four requests would run as one batch; under 2, as two.
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, i) => fetch(url + PREDICT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: predictBody(i) })),
    );
    assert.deepEqual(responses.map((answer) => answer.status), [200, 200, 200, 200]);
    const metrics = await (await fetch(url + ROUTES.metrics)).text();
    assert.match(metrics, /^tune_batch_size_count 2$/m);
    assert.match(metrics, /^tune_server_reconfigurations_total\{applied="reloaded"\} 1$/m);
    await server.stop();
  });
});

describe('overload shedding', () => {
  test('a full queue refuses from the request line, reads no body, and keeps the connection open', async () => {
    // Batches of 4 that never time out: two queued instances fill a queue of 2 until stop() flushes them.
    const server = await startModelServer(await ganConfig({ port: 0, maxBatchSize: 4, batchTimeoutUs: 60_000_000, queueBound: 2 }), { log: () => undefined });
    await server.ready;
    const url = server.http.url;
    const queued = [1, 2].map((i) => fetch(url + PREDICT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: predictBody(i) }));
    while (server.metrics.queueDepth.value < 2) await new Promise((resolve) => setImmediate(resolve));

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; connection?: string; reused: boolean; text: string }>((resolve, reject) => {
        const req = httpRequest(url + path, { method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket, text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    // Not even JSON: a shed request's body is never parsed.
    const refused = await send('POST', PREDICT, 'not json at all');
    assert.equal(refused.status, 503);
    assert.equal((JSON.parse(refused.text) as ErrorBody).error.code, 'queue_full');
    assert.notEqual(refused.connection, 'close');
    const next = await send('GET', ROUTES.live);
    assert.deepEqual([next.status, next.reused], [200, true], 'the next request reuses the connection');
    agent.destroy();

    // A body of unknown length is not drained: the answer comes at once and the connection closes.
    const chunked = await postChunked(url + PREDICT, ['{"instances": [', '[0.5]', ']}']);
    assert.equal(chunked.status, 503);

    assert.match(server.metrics.render(), /^tune_http_requests_total\{code="503"\} 2$/m);
    await server.stop();
    assert.deepEqual(await Promise.all(queued.map(async (response) => (await response).status)), [200, 200]);
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
