/**
 * The bench target: a node:http server that answers every POST with a small JSON body after a delay
 * (none, fixed 20 ms, or uniform 10–30 ms). Run in its own process so it does not share an event loop
 * with the load generator. Prints "PORT <n>" when listening.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { uniformSource } from '../../src/random/rng.ts';

export type DelayMode = 'none' | 'fixed' | 'jitter';

const mode = (process.argv[2] ?? 'none') as DelayMode;
const random = uniformSource(7);
const delayMs = (): number => (mode === 'fixed' ? 20 : mode === 'jitter' ? 10 + 20 * random() : 0);
const answer = '{"predictions":[{"label":3,"scores":[0.1,0.9]}]}';

const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const reply = (): void => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
      response.end(answer);
    };
    if (mode === 'none') reply();
    else setTimeout(reply, delayMs());
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
