import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { DeployFailure } from '../../src/deploy/backend.ts';
import { waitReady } from '../../src/deploy/docker/readiness.ts';

/** A server whose ready route answers 503 for the first `notReadyFor` calls, then 200. */
function readyAfter(notReadyFor: number): Server {
  let calls = 0;
  return createServer((req, res) => {
    const ready = req.url === '/v1/health/ready' && ++calls > notReadyFor;
    res.writeHead(ready ? 200 : 503).end();
  });
}

describe('waitReady', () => {
  const server = readyAfter(2);
  let url = '';
  before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  before(() => (url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  after(() => new Promise((resolve) => server.close(resolve)));
  const running = async () => undefined;

  test('resolves once the ready route answers 200', async () => {
    const failure = await waitReady({ replica: 0, url, timeoutMs: 30_000, signal: new AbortController().signal, stopped: running });
    assert.equal(failure, undefined);
  });

  test('returns the stopped replica failure instead of waiting out the timeout', async () => {
    const crashed: DeployFailure = { kind: 'crashed', message: 'replica 0 exited with code 1' };
    const deadUrl = 'http://127.0.0.1:9'; // discard port: nothing listens
    const failure = await waitReady({ replica: 0, url: deadUrl, timeoutMs: 30_000, signal: new AbortController().signal, stopped: async () => crashed });
    assert.deepEqual(failure, crashed);
  });

  test('is not_ready when the timeout passes', async () => {
    const failure = await waitReady({ replica: 2, url: 'http://127.0.0.1:9', timeoutMs: 1, signal: new AbortController().signal, stopped: running });
    assert.equal(failure?.kind, 'not_ready');
    assert.match(failure?.message ?? '', /replica 2 was not ready within/);
  });

  test('is not_ready (cancelled) when aborted', async () => {
    const failure = await waitReady({ replica: 1, url: 'http://127.0.0.1:9', timeoutMs: 30_000, signal: AbortSignal.abort(), stopped: running });
    assert.deepEqual(failure, { kind: 'not_ready', message: 'replica 1 was cancelled before it became ready' });
  });
});
