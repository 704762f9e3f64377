import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from './latency-recorder.ts';
import { abortedError, checkClosedLoop } from './load-options.ts';
import { ReplicaRouter } from './replica-router.ts';
import type { ClosedLoopOptions, LoadOutcome } from './types.ts';

/** After a refused connection a worker waits this long, so a dead replica does not spin the CPU. */
const CONNECTION_BACKOFF_MS = 5;

/**
 * Closed loop: `concurrency` workers, each sending its next request the moment its previous one is
 * answered, so exactly that many are outstanding. A request counts when it completes inside the window
 * (after the warm-up, before the duration or request count is reached); the ones still in flight at the
 * end are cut off, as wrk does.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadOutcome> {
  const problem = checkClosedLoop(options);
  if (problem) return { ok: false, error: problem };
  if (options.signal?.aborted) return { ok: false, error: abortedError() };

  const router = new ReplicaRouter({
    urls: options.urls,
    path: options.path,
    connectionsPerReplica: options.concurrency,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  const recorder = new LatencyRecorder();
  const windowStart = performance.now() + options.warmupS * 1000;
  const window = new Window(windowStart, options.durationS > 0 ? options.durationS * 1000 : Infinity);
  const maxRequests = options.maxRequests ?? Infinity;
  let finished = 0;

  const stopAtEnd = window.timer(() => router.close());
  const onAbort = (): void => {
    window.abort();
    void router.close();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const worker = async (): Promise<void> => {
    while (!window.stopped) {
      const sentAt = performance.now();
      const outcome = await router.send(options.bodies());
      const doneAt = performance.now();
      if (window.stopped || doneAt > window.end) break;
      if (doneAt >= windowStart) {
        if (outcome.ok) recorder.recordSuccess(doneAt - sentAt);
        else recorder.recordError(outcome.kind);
        finished += 1;
        if (finished >= maxRequests) window.finish(doneAt, () => router.close());
      }
      if (!outcome.ok && outcome.kind === 'connection') await sleep(CONNECTION_BACKOFF_MS);
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearTimeout(stopAtEnd);
    options.signal?.removeEventListener('abort', onAbort);
    await router.close();
  }
  if (window.aborted) return { ok: false, error: abortedError() };
  return { ok: true, result: recorder.result(window.lengthMs() / 1000) };
}

/** The measurement window's bounds and how it ended. */
class Window {
  stopped = false;
  aborted = false;
  private endedAt: number | undefined;

  constructor(
    readonly start: number,
    private readonly durationMs: number,
  ) {}

  get end(): number {
    return this.endedAt ?? this.start + this.durationMs;
  }

  /** Ends the window at its nominal end; requests answered later are not counted. */
  timer(onEnd: () => void): NodeJS.Timeout | undefined {
    if (!Number.isFinite(this.durationMs)) return undefined;
    return setTimeout(() => {
      this.stopped = true;
      onEnd();
    }, Math.max(0, this.end - performance.now()));
  }

  finish(at: number, onEnd: () => void): void {
    if (this.stopped) return;
    this.endedAt = at;
    this.stopped = true;
    onEnd();
  }

  abort(): void {
    this.stopped = true;
    this.aborted = true;
  }

  lengthMs(): number {
    return this.endedAt === undefined ? this.durationMs : this.endedAt - this.start;
  }
}
