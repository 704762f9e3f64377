/**
 * Waits for a replica's ready route to answer 200, failing fast when its container has already stopped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ROUTES } from '../../server/protocol.ts';
import type { DeployFailure } from '../backend.ts';

const POLL_INTERVAL_MS = 50;
/** Asking the engine is dearer than asking the server: inspect a replica at most this often. */
const STOPPED_CHECK_INTERVAL_MS = 500;
const REQUEST_TIMEOUT_MS = 1000;

export interface ReadinessProbe {
  replica: number;
  url: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Why the replica's container stopped, or undefined while it runs. */
  stopped: () => Promise<DeployFailure | undefined>;
}

/** undefined when ready; otherwise the replica's failure (stopped, cancelled or not ready in time). */
export async function waitReady(probe: ReadinessProbe): Promise<DeployFailure | undefined> {
  const deadline = Date.now() + probe.timeoutMs;
  let lastAnswer = 'no answer';
  let lastStoppedCheck = 0;
  while (!probe.signal.aborted) {
    const answer = await askReady(probe.url, probe.signal);
    if (answer === 200) return undefined;
    lastAnswer = typeof answer === 'number' ? `HTTP ${answer}` : answer;
    const timedOut = Date.now() >= deadline;
    if (timedOut || Date.now() - lastStoppedCheck >= STOPPED_CHECK_INTERVAL_MS) {
      lastStoppedCheck = Date.now();
      const stopped = await probe.stopped();
      if (stopped) return stopped;
    }
    if (timedOut) return notReady(probe, lastAnswer);
    await sleep(POLL_INTERVAL_MS, undefined, { signal: probe.signal }).catch(() => undefined);
  }
  return { kind: 'not_ready', message: `replica ${probe.replica} was cancelled before it became ready` };
}

function notReady(probe: ReadinessProbe, lastAnswer: string): DeployFailure {
  const seconds = (probe.timeoutMs / 1000).toFixed(1);
  return {
    kind: 'not_ready',
    message: `replica ${probe.replica} was not ready within ${seconds} s at ${probe.url} (last: ${lastAnswer}): raise readyTimeoutMs or check the model`,
  };
}

async function askReady(url: string, signal: AbortSignal): Promise<number | string> {
  try {
    const response = await fetch(url + ROUTES.ready, { signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).name;
  }
}
