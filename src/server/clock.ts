/** Time as the batcher sees it: injected, so unit tests drive it by hand. */
export interface Clock {
  /** Milliseconds, monotonic, fractional. */
  now(): number;
  /** Calls fn after ms; returns a function that cancels the call. */
  setTimer(ms: number, fn: () => void): () => void;
}

/**
 * The real clock. Node timers have 1 ms resolution, so waits under 1 ms use setImmediate (next loop turn)
 * rather than rounding a 200 µs timeout up to a full millisecond.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    if (ms < 1) {
      const handle = setImmediate(fn);
      return () => clearImmediate(handle);
    }
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};
