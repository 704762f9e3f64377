import { Pool } from 'undici';
import { Exchange, type RequestOutcome } from './exchange.ts';

export type { RequestOutcome } from './exchange.ts';

export interface RouterOptions {
  urls: string[];
  path: string;
  connectionsPerReplica: number;
  requestTimeoutMs: number;
}

const JSON_CONTENT = { 'content-type': 'application/json' };

interface Replica {
  pool: Pool;
  outstanding: number;
}

/**
 * Spreads requests over replicas, each to the one with the fewest requests outstanding (ties go round
 * robin), over keep-alive connections without pipelining, so one slow replica does not hold back the rest.
 */
export class ReplicaRouter {
  private readonly replicas: Replica[];
  private nextTie = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: RouterOptions) {
    this.replicas = options.urls.map((url) => ({
      pool: new Pool(url, {
        connections: options.connectionsPerReplica,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
      }),
      outstanding: 0,
    }));
  }

  /**
   * Sends one POST and reads the whole response; resolves when its last byte has arrived. A bare
   * dispatch handler instead of `request()` skips the response stream, its promises and an AbortSignal,
   * about a third of the client's own CPU time per request (bench/load/RESULTS.md).
   */
  send(body: string): Promise<RequestOutcome> {
    const replica = this.pick();
    replica.outstanding += 1;
    return new Promise((resolve) => {
      const exchange = new Exchange(this.options.requestTimeoutMs, (outcome) => {
        replica.outstanding -= 1;
        resolve(outcome);
      });
      replica.pool.dispatch({ path: this.options.path, method: 'POST', headers: JSON_CONTENT, body }, exchange);
    });
  }

  /** Fails whatever is still in flight (callers ignore those outcomes) and closes every connection. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.replicas.map((replica) => replica.pool.destroy())).then(() => undefined);
    return this.closing;
  }

  private pick(): Replica {
    const count = this.replicas.length;
    let best: Replica | undefined;
    for (let step = 0; step < count; step += 1) {
      const candidate = this.replicas[(this.nextTie + step) % count];
      if (candidate !== undefined && (best === undefined || candidate.outstanding < best.outstanding)) best = candidate;
    }
    this.nextTie = (this.nextTie + 1) % count;
    if (best === undefined) throw new Error('ReplicaRouter has no replicas');
    return best;
  }
}
