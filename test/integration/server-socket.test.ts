/**
 * Raw malformed traffic to the http adapter on 127.0.0.1 with the real gan model: garbage request lines,
 * bad Content-Length, bodies over the limit, slowloris-style partial requests dropped early. The server
 * never crashes, never answers 5xx to them, and keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ensureModel } from '../../src/models/index.ts';
import { CONFIG_DEFAULTS } from '../../src/server/config.ts';
import { startModelServer, type RunningServer } from '../../src/server/model-server.ts';
import { exchange, statusOf, type RawPlan } from './raw-http.ts';
import { flatImage } from '../../support/request-arbitraries.ts';

const RUNS = 300;
const PARALLEL = 20;
const MAX_BODY = 200_000;
const PREDICT = '/v1/models/gan:predict';
const VALID_BODY = JSON.stringify({ instances: [flatImage(1)] });

const head = (lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`;

const garbageLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('GET', 'GET / HTTP/9.9', 'POST /v1/models/gan:predict', '\u0000\u0001\u0002', 'GET http://x HTTP/1.1', ' / HTTP/1.1', 'GET /%ZZ HTTP/1.1', 'BREW /pot HTCPCP/1.0'),
).map((line) => `${line}\r\nHost: x\r\n\r\n`);

const badContentLength = fc
  .constantFrom('abc', '-1', '1e3', '0x10', '99999999999999999999', '10, 20', '', ' 5')
  .map((value) => head([`POST ${PREDICT} HTTP/1.1`, 'Host: x', 'Content-Type: application/json', `Content-Length: ${value}`]) + VALID_BODY);

const doubleContentLength = fc.constant(
  head([`POST ${PREDICT} HTTP/1.1`, 'Host: x', 'Content-Type: application/json', 'Content-Length: 5', `Content-Length: ${VALID_BODY.length}`]) + VALID_BODY,
);

const overLimit = fc.integer({ min: MAX_BODY + 1, max: 2 * MAX_BODY }).map(
  (size) => head([`POST ${PREDICT} HTTP/1.1`, 'Host: x', 'Content-Type: application/json', `Content-Length: ${size}`]) + '['.repeat(Math.min(size, 70_000)),
);

const badChunks = fc
  .constantFrom('zz\r\n{}\r\n0\r\n\r\n', '5\r\n{"in\r\n', 'ffffffffffffffff\r\n{}\r\n', '3\r\n{}\r\n\r\n0\r\n\r\n')
  .map((chunks) => head([`POST ${PREDICT} HTTP/1.1`, 'Host: x', 'Content-Type: application/json', 'Transfer-Encoding: chunked']) + chunks);

const hostileHeaders = fc.constantFrom(
  head([`GET /v1/health/live HTTP/1.1`, 'Host: x', `X-Big: ${'a'.repeat(20_000)}`]),
  head([`GET /v1/health/live HTTP/1.1`, ...Array.from({ length: 3000 }, (_, i) => `X-${i}: y`)]),
  head([`GET /v1/health/live HTTP/1.1`, 'Host: [::1']),
  head([`POST ${PREDICT} HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked', 'Content-Length: 10']) + '0\r\n\r\n',
);

/** A complete-looking request split into pieces; with `end`/`destroy` the client leaves mid-body. */
const partial = fc.tuple(fc.integer({ min: 1, max: VALID_BODY.length - 1 }), fc.integer({ min: 1, max: 6 })).map(([sent, pieces]) => {
  const request = head([`POST ${PREDICT} HTTP/1.1`, 'Host: x', 'Content-Type: application/json', `Content-Length: ${VALID_BODY.length}`]) + VALID_BODY.slice(0, sent);
  const size = Math.ceil(request.length / pieces);
  return Array.from({ length: pieces }, (_, i) => request.slice(i * size, (i + 1) * size)).filter((part) => part !== '');
});

const rawPlan: fc.Arbitrary<RawPlan> = fc.oneof(
  fc.tuple(fc.oneof(garbageLine, badContentLength, doubleContentLength, overLimit, badChunks, hostileHeaders), fc.constantFrom<RawPlan['then']>('end', 'destroy', 'wait')).map(
    ([text, then]): RawPlan => ({ parts: [Buffer.from(text, 'latin1')], gapMs: 0, then, waitMs: 1500 }),
  ),
  fc.tuple(partial, fc.constantFrom<RawPlan['then']>('end', 'destroy')).map(([parts, then]): RawPlan => ({ parts: parts.map((p) => Buffer.from(p)), gapMs: 20, then, waitMs: 1500 })),
);

describe('http adapter under raw malformed traffic (real gan model)', () => {
  let server: RunningServer;
  let port: number;

  before(async () => {
    const modelDir = await ensureModel({ model: 'gan', precision: 'fp32' });
    server = await startModelServer({ ...CONFIG_DEFAULTS, modelDir, modelName: 'gan', port: 0, intraOpThreads: 1, maxBodyBytes: MAX_BODY }, { log: () => undefined });
    await server.ready;
    port = Number(new URL(server.http.url).port);
  });

  after(() => server.stop());

  async function assertServes(): Promise<void> {
    const response = await fetch(server.http.url + PREDICT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: VALID_BODY });
    assert.equal(response.status, 200, await response.text());
  }

  test(`${RUNS} raw malformed exchanges: no crash, no 5xx, serving goes on`, async () => {
    const plans = fc.sample(rawPlan, { numRuns: RUNS, seed: 2611 });
    const statuses = new Map<string, number>();
    for (let start = 0; start < RUNS; start += PARALLEL) {
      const batch = plans.slice(start, start + PARALLEL);
      const replies = await Promise.all(batch.map((plan) => exchange(port, plan)));
      replies.forEach((reply, i) => {
        const status = statusOf(reply.reply);
        const key = status === undefined ? (reply.reply === '' ? 'none' : 'not-http') : String(status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const sent = batch[i]!.parts.map((p) => p.toString('latin1')).join('').slice(0, 120);
        assert.notEqual(key, 'not-http', `reply to ${JSON.stringify(sent)} is not HTTP: ${JSON.stringify(reply.reply.slice(0, 120))}`);
        assert.ok(status === undefined || status < 500, `reply to ${JSON.stringify(sent)} was ${status}: ${reply.reply.slice(0, 300)}`);
      });
      await assertServes();
    }
    console.log(`first status per exchange: ${JSON.stringify(Object.fromEntries(statuses))}`);
  });
});
