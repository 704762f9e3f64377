import { Pool } from 'undici';
import { statusErrorKind, thrownErrorKind } from './error-kind.ts';
import type { LoadErrorKind } from './types.ts';

export type RequestOutcome = { ok: true } | { ok: false; kind: LoadErrorKind };

export interface RouterOptions {
  urls: string[];
  path: string;
  connectionsPerReplica: number;
  requestTimeoutMs: number;
}

/** Responses are read (and discarded) up to this size; undici's default 128 KiB would drop the connection. */
const MAX_RESPONSE_BYTES = 1 << 30;

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

  /** Sends one POST and reads the whole response; resolves when the response has fully arrived. */
  async send(body: string): Promise<RequestOutcome> {
    const replica = this.pick();
    replica.outstanding += 1;
    // undici's own header/body timeouts tick at about one second; this deadline is exact and covers both.
    const deadline = AbortSignal.timeout(this.options.requestTimeoutMs);
    try {
      const response = await replica.pool.request({
        path: this.options.path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: deadline,
      });
      await response.body.dump({ limit: MAX_RESPONSE_BYTES });
      const kind = statusErrorKind(response.statusCode);
      return kind === undefined ? { ok: true } : { ok: false, kind };
    } catch (error) {
      return { ok: false, kind: deadline.aborted ? 'timeout' : thrownErrorKind(error) };
    } finally {
      replica.outstanding -= 1;
    }
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
