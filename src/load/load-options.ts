import type { ClosedLoopOptions, LoadFailureCode, OpenLoopOptions } from './types.ts';

export interface LoadOptionsError {
  code: LoadFailureCode;
  message: string;
}

/** Checks shared by both loops; the first problem found, as one line saying what to change. */
export function checkClosedLoop(options: ClosedLoopOptions): LoadOptionsError | undefined {
  return (
    checkCommon(options) ??
    (Number.isInteger(options.concurrency) && options.concurrency >= 1
      ? undefined
      : invalid(`concurrency must be a whole number ≥ 1, got ${options.concurrency}`)) ??
    (options.durationS > 0 || (options.maxRequests ?? 0) > 0
      ? undefined
      : invalid('the measurement window needs a duration > 0 s or a request count > 0'))
  );
}

export function checkOpenLoop(options: OpenLoopOptions): LoadOptionsError | undefined {
  return (
    checkCommon(options) ??
    (options.schedule.length > 0 ? undefined : invalid('the open-loop schedule is empty: give at least one rate step')) ??
    options.schedule
      .map((step, index) =>
        step.rateRps >= 0 && step.durationS > 0 && Number.isFinite(step.rateRps)
          ? undefined
          : invalid(`schedule step ${index + 1} needs a rate ≥ 0 and a duration > 0 s`),
      )
      .find((error) => error !== undefined)
  );
}

function checkCommon(options: { urls: string[]; warmupS: number; requestTimeoutMs: number }): LoadOptionsError | undefined {
  if (options.urls.length === 0) return invalid('no replica URLs to send load to');
  if (!(options.warmupS >= 0)) return invalid(`warm-up must be ≥ 0 s, got ${options.warmupS}`);
  if (!(options.requestTimeoutMs > 0)) return invalid(`request timeout must be > 0 ms, got ${options.requestTimeoutMs}`);
  return undefined;
}

function invalid(message: string): LoadOptionsError {
  return { code: 'invalid_load_options', message };
}

export function abortedError(): LoadOptionsError {
  return { code: 'load_aborted', message: 'the load run was cancelled before its window ended' };
}
