import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServerOptions {
  /** Delay before answering the n-th request (0-based), ms. */
  delayMs: (n: number) => number;
  /** Status for the n-th request; default 200. */
  status?: (n: number) => number;
  /** Handle one request at a time, queueing the rest (a single-threaded model server). */
  serial?: boolean;
}

export interface TestServer {
  url: string;
  received: () => number;
  maxInFlight: () => number;
  close: () => Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that counts what the load generator does to it. */
export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  let received = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let queue = Promise.resolve();

  const server = http.createServer((request, response) => {
    const n = received;
    received += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const answer = (): void => {
      inFlight -= 1;
      response.writeHead(options.status?.(n) ?? 200, { 'content-type': 'application/json' });
      response.end('{"predictions":[]}');
    };
    request.resume();
    request.on('end', () => {
      const wait = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, options.delayMs(n)));
      if (!options.serial) return void wait().then(answer);
      queue = queue.then(wait).then(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
