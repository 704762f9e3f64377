/** The healthcheck the Compose and Swarm files run inside the image (`node -e`), run here against a local server. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { readinessScript } from '../../../src/export/shared.ts';
import { ROUTES, SERVER_ENV } from '../../../src/server/protocol.ts';

const run = promisify(execFile);

let ready = true;
let server: Server;
let port = 0;
const asked: string[] = [];

before(async () => {
  server = createServer((request, response) => {
    asked.push(request.url ?? '');
    response.statusCode = request.url === ROUTES.ready && ready ? 200 : 503;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The check's exit code, run as Docker runs it: node -e with the container's environment. */
async function check(bind: string, env: Record<string, string>): Promise<number> {
  try {
    await run(process.execPath, ['-e', readinessScript(bind)], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('readiness check script', () => {
  test('exits 0 once the ready route answers 200, 1 while it answers 503', async () => {
    ready = true;
    assert.equal(await check('127.0.0.1', { [SERVER_ENV.host]: '127.0.0.1', [SERVER_ENV.port]: String(port) }), 0);
    assert.equal(asked.at(-1), ROUTES.ready);
    ready = false;
    assert.equal(await check('127.0.0.1', { [SERVER_ENV.host]: '127.0.0.1', [SERVER_ENV.port]: String(port) }), 1);
    ready = true;
  });

  test('adds the task slot to the base port, as the server does', async () => {
    assert.equal(await check('127.0.0.1', { [SERVER_ENV.host]: '127.0.0.1', [SERVER_ENV.port]: String(port - 2), [SERVER_ENV.portSlot]: '3' }), 0);
    assert.equal(await check('127.0.0.1', { [SERVER_ENV.host]: '127.0.0.1', [SERVER_ENV.port]: String(port), [SERVER_ENV.portSlot]: '2' }), 1, 'nothing listens one port up');
  });

  test("with a subnet, asks this host's address in it", async () => {
    assert.equal(await check('127.0.0.0/8', { [SERVER_ENV.host]: '127.0.0.0/8', [SERVER_ENV.port]: String(port) }), 0);
    assert.equal(await check('192.0.2.0/24', { [SERVER_ENV.host]: '192.0.2.0/24', [SERVER_ENV.port]: String(port) }), 1, 'no address of this host is in TEST-NET-1');
  });

  test('a check with no server to answer fails', async () => {
    assert.equal(await check('127.0.0.1', { [SERVER_ENV.host]: '127.0.0.1', [SERVER_ENV.port]: '1' }), 1);
  });
});
