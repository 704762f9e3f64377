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

const RANGE_LOW = 20_000;
const RANGE_HIGH = 60_000;

/**
 * The first of `count` consecutive ports for replicas that derive their port from one base (Swarm task slots).
 * With `host`, every port is checked free there; without (replicas on other machines) the base is only random.
 */
export async function freePortRange(count: number, host?: string, random: () => number = Math.random): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = RANGE_LOW + Math.floor(random() * (RANGE_HIGH - RANGE_LOW - count));
    if (host === undefined || (await allFree(base, count, host))) return base;
  }
  throw new Error(`no ${count} consecutive free ports between ${RANGE_LOW} and ${RANGE_HIGH} on ${host}`);
}

async function allFree(base: number, count: number, host: string): Promise<boolean> {
  for (let port = base; port < base + count; port++) {
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, host, () => resolve(true));
    });
    if (free) await new Promise((resolve) => server.close(resolve));
    if (!free) return false;
  }
  return true;
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
