/**
 * Free loopback ports for host-networked replicas: bind :0, read the port the kernel chose, release it.
 * Another process can take it before the replica binds; the backend retries a replica once when that happens.
 */
import { createServer, type Server } from 'node:net';

/** `count` distinct free ports: every listener stays open until all are chosen, so none repeats. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const held: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      held.push(server);
      ports.push(await listenOnAnyPort(server, host));
    }
    return ports;
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function listenOnAnyPort(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('the kernel returned no port'));
    });
  });
}
