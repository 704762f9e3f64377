import type { RateStep } from './types.ts';

export interface Arrival {
  atMs: number; // intended send time, from the start of the run
  phase: number; // index into the phases given; the caller decides which ones count
}

/**
 * Intended send times for phases run back to back. Poisson arrivals draw exponential gaps from the
 * injected uniform source; constant ones are evenly spaced. Each phase starts afresh at its boundary
 * (exact for Poisson, which is memoryless). Pure: the same random source gives the same times.
 */
export function* arrivalTimes(
  phases: readonly RateStep[],
  kind: 'poisson' | 'constant',
  random: () => number,
): Generator<Arrival> {
  let phaseStartMs = 0;
  for (const [phase, step] of phases.entries()) {
    const endMs = phaseStartMs + step.durationS * 1000;
    if (step.rateRps > 0) {
      const meanGapMs = 1000 / step.rateRps;
      const gap = (): number => (kind === 'constant' ? meanGapMs : -Math.log(1 - random()) * meanGapMs);
      for (let atMs = phaseStartMs + (kind === 'constant' ? 0 : gap()); atMs < endMs; atMs += gap()) {
        yield { atMs, phase };
      }
    }
    phaseStartMs = endMs;
  }
}
