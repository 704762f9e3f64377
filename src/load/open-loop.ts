import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { arrivalTimes } from './arrivals.ts';
import { LatencyRecorder } from './latency-recorder.ts';
import { abortedError, checkOpenLoop } from './load-options.ts';
import { ReplicaRouter, type RequestOutcome } from './replica-router.ts';
import type { LoadOutcome, OpenLoopOptions, OpenLoopResult, RateStep } from './types.ts';

const DEFAULT_CONNECTIONS_PER_REPLICA = 256;

/**
 * Open loop: requests leave on a schedule whatever the server does, and each latency runs from the
 * request's intended send time, so time spent queued (in the server, or in the client when it falls
 * behind) is counted instead of silently omitted. Every request intended inside the window is waited
 * for (its timeout bounds the wait), so slow answers are not dropped from the tail.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<LoadOutcome<OpenLoopResult>> {
  const problem = checkOpenLoop(options);
  if (problem) return { ok: false, error: problem };
  if (options.signal?.aborted) return { ok: false, error: abortedError() };

  const router = new ReplicaRouter({
    urls: options.urls,
    path: options.path,
    connectionsPerReplica: options.connectionsPerReplica ?? DEFAULT_CONNECTIONS_PER_REPLICA,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  const { phases, firstMeasured } = phasesOf(options);
  const overall = new LatencyRecorder();
  const perStep = options.schedule.map(() => new LatencyRecorder());
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    void router.close();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const record = (phase: number, outcome: RequestOutcome, latencyMs: number): void => {
    if (aborted || phase < firstMeasured) return;
    for (const recorder of [overall, perStep[phase - firstMeasured]]) {
      if (outcome.ok) recorder?.recordSuccess(latencyMs);
      else recorder?.recordError(outcome.kind);
    }
  };

  const inFlight = new Set<Promise<void>>();
  try {
    const origin = performance.now();
    for (const arrival of arrivalTimes(phases, options.arrivals, options.random)) {
      const intendedAt = origin + arrival.atMs;
      const waitMs = intendedAt - performance.now();
      if (waitMs > 0) await sleep(waitMs, undefined, { signal: options.signal }).catch(() => undefined);
      if (aborted) break;
      // Timers may wake up to a millisecond early; then the clock starts at the actual send.
      const startedAt = Math.min(intendedAt, performance.now());
      const request = router.send(options.bodies()).then((outcome) => {
        record(arrival.phase, outcome, performance.now() - startedAt);
        inFlight.delete(request);
      });
      inFlight.add(request);
    }
    await Promise.all(inFlight);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await router.close();
  }
  if (aborted) return { ok: false, error: abortedError() };
  return { ok: true, result: openLoopResult(options.schedule, overall, perStep) };
}

/** The warm-up runs as an uncounted first phase at the first step's rate. */
function phasesOf(options: OpenLoopOptions): { phases: RateStep[]; firstMeasured: number } {
  const first = options.schedule[0];
  if (options.warmupS <= 0 || first === undefined) return { phases: options.schedule, firstMeasured: 0 };
  return { phases: [{ rateRps: first.rateRps, durationS: options.warmupS }, ...options.schedule], firstMeasured: 1 };
}

function openLoopResult(schedule: RateStep[], overall: LatencyRecorder, perStep: LatencyRecorder[]): OpenLoopResult {
  const windowS = schedule.reduce((sum, step) => sum + step.durationS, 0);
  const offered = schedule.reduce((sum, step) => sum + step.rateRps * step.durationS, 0);
  return {
    ...overall.result(windowS),
    offeredRps: offered / windowS,
    steps: schedule.map((step, index) => ({
      ...step,
      result: (perStep[index] ?? new LatencyRecorder()).result(step.durationS),
    })),
  };
}
