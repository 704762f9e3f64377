/** Checks shared by the numeric kinds: the range and a default inside it. */
import type { FieldReader } from '../fields.ts';

export interface Range {
  low: number;
  high: number;
}

export function readRange(fields: FieldReader): Range {
  const low = fields.number('low');
  const high = fields.number('high');
  if (low > high) fields.fail('low_above_high', `low (${low}) is greater than high (${high})`);
  return { low, high };
}

export function requirePositiveLow(fields: FieldReader, low: number): void {
  if (low <= 0) fields.fail('log_needs_positive_low', `log scale needs low > 0, got low ${low}`);
}

/** The given default, checked with `contains`, or `fallback` when the file gives none. */
export function readDefault(fields: FieldReader, fallback: number, contains: (value: number) => boolean, what: string): number {
  const given = fields.optionalNumber('default');
  if (given === undefined) return fallback;
  if (!contains(given)) fields.fail('default_out_of_range', `default (${given}) is not ${what}`);
  return given;
}
