import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from './latency-recorder.ts';
import { abortedError, checkClosedLoop, type LoadOptionsError } from './load-options.ts';
import { ReplicaRouter } from './replica-router.ts';
import type { ClosedLoopOptions, LoadOutcome, WindowMonitor } from './types.ts';

/** After a refused connection a worker waits this long, so a dead replica does not spin the CPU. */
const CONNECTION_BACKOFF_MS = 5;

/**
 * Closed loop: `concurrency` workers, each sending its next request the moment its previous one is
 * answered, so exactly that many are outstanding. A request counts when it completes inside the window
 * (after the warm-up, before the duration or request count is reached); the ones still in flight at the
 * end are cut off, as wrk does. A monitor, if given, may end the window sooner, with the same cut-off.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadOutcome> {
  const problem = checkClosedLoop(options) ?? checkMonitor(options.monitor);
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
  let stoppedEarly = false;
  let monitorFailure: { error: unknown } | undefined;
  const stopWatching = options.monitor
    ? watchWindow(options.monitor, window, recorder, {
        onStop: (at) => {
          stoppedEarly = true;
          window.finish(at, () => router.close());
        },
        onFailure: (error) => {
          monitorFailure = { error };
          onAbort();
        },
      })
    : undefined;

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
    stopWatching?.();
    options.signal?.removeEventListener('abort', onAbort);
    await router.close();
  }
  // A throwing monitor would otherwise crash the process from its timer; the caller sees it as this call's error.
  if (monitorFailure) throw monitorFailure.error;
  if (window.aborted) return { ok: false, error: abortedError() };
  const result = recorder.result(window.lengthMs() / 1000);
  return { ok: true, result: stoppedEarly ? { ...result, stoppedEarly: true } : result };
}

function checkMonitor(monitor: WindowMonitor | undefined): LoadOptionsError | undefined {
  if (monitor === undefined || (monitor.everyS > 0 && Number.isFinite(monitor.everyS))) return undefined;
  return { code: 'invalid_load_options', message: `the window monitor must look every > 0 s, got ${monitor.everyS}` };
}

/**
 * Shows the monitor the window at whole multiples of everyS after its start (so never in the warm-up) until it
 * says stop, the window ends or the returned function cancels. A late timer skips the looks it missed rather
 * than bunching them: each look is one more chance of a false stop.
 */
function watchWindow(
  monitor: WindowMonitor,
  window: Window,
  recorder: LatencyRecorder,
  on: { onStop: (at: number) => void; onFailure: (error: unknown) => void },
): () => void {
  const everyMs = monitor.everyS * 1000;
  let look = 0;
  let timer: NodeJS.Timeout | undefined;
  const dueAt = (): number => window.start + look * everyMs;
  const scheduleNext = (): void => {
    look = Math.max(look + 1, Math.floor((performance.now() - window.start) / everyMs) + 1);
    if (window.stopped || dueAt() >= window.end) return;
    timer = setTimeout(lookNow, Math.max(0, dueAt() - performance.now()));
  };
  const lookNow = (): void => {
    const now = performance.now();
    // Past the nominal end the end timer is due: the window keeps its full length.
    if (window.stopped || now >= window.end) return;
    // Node timers may fire a fraction of a millisecond early; a look is never taken before its time.
    if (now < dueAt()) {
      timer = setTimeout(lookNow, dueAt() - now);
      return;
    }
    let stop: boolean;
    try {
      stop = monitor.stop(recorder.progress((now - window.start) / 1000));
    } catch (error) {
      on.onFailure(error);
      return;
    }
    if (stop) on.onStop(now);
    else scheduleNext();
  };
  scheduleNext();
  return () => clearTimeout(timer);
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
