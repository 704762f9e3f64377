/**
 * Integer parameters: low, low + step, ..., high. Each value owns an equal-width cell of the unit interval
 * (equal-width in log scale when `log`), so decoding any point rounds to a valid integer.
 */
import type { Rng } from '../../random/rng.ts';
import type { FieldReader } from '../fields.ts';
import { cellCentre, cellIndex, clampUnit, spreadPositions, uniqueValues, type IntParameter, type ParameterKind } from '../parameter.ts';
import { readDefault, readRange, requirePositiveLow } from './numeric-range.ts';

export const intKind: ParameterKind<IntParameter> = {
  keys: ['low', 'high', 'log', 'step'],

  parse(fields, name, description) {
    const { low, high } = readRange(fields);
    requireInteger(fields, 'low', low);
    requireInteger(fields, 'high', high);
    const log = fields.optionalBoolean('log') ?? false;
    const step = fields.optionalNumber('step') ?? 1;
    if (!Number.isInteger(step) || step <= 0) fields.fail('bad_step', `step must be a positive integer, got ${step}`);
    if (log) requirePositiveLow(fields, low);
    if (log && step !== 1) fields.fail('bad_step', 'step cannot be combined with log scale');
    const shape: IntParameter = { kind: 'int', name, low, high, log, step, default: low };
    const fallback = intKind.decode(shape, [0.5]) as number;
    const what = step === 1 ? `an integer within ${low}..${high}` : `within ${low}..${high} in steps of ${step}`;
    const value = readDefault(fields, fallback, (v) => intKind.contains(shape, v), what);
    return { ...shape, default: value, ...(description === undefined ? {} : { description }) };
  },

  width: () => 1,

  encode(p, value) {
    const v = value as number;
    if (p.log) {
      const cellMiddle = Math.sqrt((v - 0.5) * (v + 0.5)); // the log-scale centre of v's cell
      return [clampUnit(Math.log(cellMiddle / (p.low - 0.5)) / logSpan(p))];
    }
    return [cellCentre(Math.round((v - p.low) / p.step), valueCount(p))];
  },

  decode(p, unit) {
    const u = clampUnit(unit[0] ?? 0.5);
    if (p.log) {
      const v = Math.round((p.low - 0.5) * Math.exp(u * logSpan(p)));
      return Math.min(p.high, Math.max(p.low, v));
    }
    return p.low + cellIndex(u, valueCount(p)) * p.step;
  },

  sample(p, rng: Rng) {
    return intKind.decode(p, [rng.next()]);
  },

  contains(p, value) {
    if (typeof value !== 'number' || !Number.isInteger(value)) return false;
    return value >= p.low && value <= p.high && (value - p.low) % p.step === 0;
  },

  levels(p, count) {
    return uniqueValues(spreadPositions(count).map((u) => intKind.decode(p, [u])));
  },
};

function valueCount(p: IntParameter): number {
  return Math.floor((p.high - p.low) / p.step) + 1;
}

/** Log scale runs from low - 0.5 to high + 0.5 so the end values get cells as wide as their neighbours'. */
function logSpan(p: IntParameter): number {
  return Math.log((p.high + 0.5) / (p.low - 0.5));
}

function requireInteger(fields: FieldReader, key: string, value: number): void {
  if (!Number.isInteger(value)) fields.fail('wrong_type', `"${key}" must be an integer, got ${value}`);
}
