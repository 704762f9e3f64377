import type { RateStep } from './types.ts';

export type LoadPattern = 'light' | 'medium' | 'high';

/** Offered load as a share of the deployment's capacity (e.g. its closed-loop throughput). */
export const PATTERN_UTILIZATION: Record<LoadPattern, number> = { light: 0.3, medium: 0.6, high: 0.9 };

export function patternSchedule(pattern: LoadPattern, capacityRps: number, durationS: number): RateStep[] {
  return [{ rateRps: capacityRps * PATTERN_UTILIZATION[pattern], durationS }];
}

/** A staircase from a low to a high share of capacity, equal time on each stair. */
export function stepsSchedule(capacityRps: number, shares: readonly number[], secondsEach: number): RateStep[] {
  return shares.map((share) => ({ rateRps: capacityRps * share, durationS: secondsEach }));
}

export type ScheduleParse = { ok: true; schedule: RateStep[] } | { ok: false; error: { code: 'bad_schedule'; message: string } };

/** Parses "rate:seconds,rate:seconds", e.g. "50:10,100:10,200:10". */
export function parseSchedule(text: string): ScheduleParse {
  const schedule: RateStep[] = [];
  for (const part of text.split(',').map((piece) => piece.trim())) {
    const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(part);
    const rateRps = Number(match?.[1]);
    const durationS = Number(match?.[2]);
    if (!match || !(durationS > 0)) {
      const message = `bad schedule step "${part}": write rate:seconds pairs separated by commas, e.g. 50:10,100:10`;
      return { ok: false, error: { code: 'bad_schedule', message } };
    }
    schedule.push({ rateRps, durationS });
  }
  return { ok: true, schedule };
}
