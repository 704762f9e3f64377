/**
 * Early stopping of hopeless measurements: while a trial's window runs, the closed loop shows its progress
 * every EARLY_STOP_CHECK_EVERY_S seconds, and the trial stops once it is clearly slower than the incumbent
 * (the lowest mean latency among the study's complete trials). A stopped trial's figures are short-window
 * figures; stopping only saves the rest of a window whose outcome is already known.
 *
 * Why these thresholds:
 * - Repeated looks. A 10 s window looked at every 0.5 s gives up to 16 chances of a false stop, so each
 *   look uses a one-sided 99% lower bound of the running mean (not 95%) and the bound must clear the
 *   incumbent by a 10% margin. The margin also covers that the incumbent is itself an estimate, and makes
 *   "hopeless" mean "clearly worse", not "a bit worse": a trial within 10% of the best is worth finishing.
 * - Early-window bias. Only completed requests count, and the requests still in flight at a look are the
 *   slow ones, so the running mean of a slow configuration is biased low early on. That can only delay a
 *   stop, never cause a false one.
 * - Serial correlation. Consecutive latencies of a closed loop share queue states, so a plain standard error
 *   is too small. Batch means absorb the correlation once batches have grown to several requests; batches ≥ 2
 *   is what a standard error needs at all, and minSeconds keeps the first looks off the window's first
 *   requests. A minimum of 10 responses still allows looks on single-request batches (BatchMeans(10) doubles
 *   its batch size at 20). In a queueing simulation of saturated slow configurations (latency 0.6–0.8 s at
 *   concurrency 4–16, 200 windows each, the incumbent's mean exact) it stopped 3–10% of trials exactly as fast
 *   as the incumbent, and every trial 1.5× slower by about 2.5 s of 10 s. Twice the concurrency cut that only to
 *   2–8%, eight times to ≤ 1%, but a request minimum tied to the concurrency never stops the configurations most
 *   worth stopping: marian at 8 s a request at concurrency 20 completes about 25 requests in a 10 s window
 *   (measured: with 2 × 20 as the minimum, no trial slower than 4 s was stopped). A trial as fast as the
 *   incumbent that is stopped loses no best, since it would not have beaten it; fast configurations pass every
 *   minimum within the 2 s.
 */
import { tQuantile } from '../load/t-quantile.ts';
import type { WindowProgress } from '../load/types.ts';

export interface EarlyStopSettings {
  /** No stop before this much of the measurement window has passed, s. */
  minSeconds: number;
  /** No stop before this many successful responses. */
  minRequests: number;
  /** The lower bound must exceed the incumbent by this share (0.1: 10% slower). */
  margin: number;
  /** One-sided confidence of the lower bound at each look. */
  confidence: number;
}

export const EARLY_STOP_DEFAULTS: EarlyStopSettings = { minSeconds: 2, minRequests: 10, margin: 0.1, confidence: 0.99 };

/** How often the closed loop shows the rule a trial's progress, s. */
export const EARLY_STOP_CHECK_EVERY_S = 0.5;

/**
 * True when the running mean's one-sided lower confidence bound, meanMs − t_{confidence}(batches − 1) ·
 * meanStandardErrorMs, is above incumbentMs × (1 + margin), once minSeconds, minRequests and two full batches
 * are reached. A trial whose interval still reaches the incumbent (or within the margin above it) is never
 * stopped; neither is any trial before a study has an incumbent, nor one whose figures are NaN.
 * incumbentMs: the lowest mean latency among the study's complete trials so far (undefined: none yet → never stop).
 */
export function hopeless(
  progress: WindowProgress,
  incumbentMs: number | undefined,
  settings: EarlyStopSettings = EARLY_STOP_DEFAULTS,
): boolean {
  if (incumbentMs === undefined) return false;
  if (progress.elapsedS < settings.minSeconds || progress.completed < settings.minRequests || progress.batches < 2) {
    return false;
  }
  const lowerBoundMs =
    progress.meanMs - tQuantile(settings.confidence, progress.batches - 1) * progress.meanStandardErrorMs;
  return lowerBoundMs > incumbentMs * (1 + settings.margin); // false whenever a figure is NaN
}
