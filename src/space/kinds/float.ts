/** Real-valued parameters, linear or log scale, optionally snapped to a step. */
import type { Rng } from '../../random/rng.ts';
import { clampUnit, spreadPositions, uniqueValues, type FloatParameter, type ParameterKind } from '../parameter.ts';
import type { ParamValue } from '../params.ts';
import { readDefault, readRange, requirePositiveLow } from './numeric-range.ts';

/** Tolerance for values read back from JSON that should sit on the step grid (0.1 + 0.2 and friends). */
const GRID_TOLERANCE = 1e-9;

export const floatKind: ParameterKind<FloatParameter> = {
  keys: ['low', 'high', 'log', 'step'],

  parse(fields, name, description) {
    const { low, high } = readRange(fields);
    const log = fields.optionalBoolean('log') ?? false;
    const step = fields.optionalNumber('step');
    if (log) requirePositiveLow(fields, low);
    if (step !== undefined && step <= 0) fields.fail('bad_step', `step must be positive, got ${step}`);
    if (step !== undefined && log) fields.fail('bad_step', 'step cannot be combined with log scale');
    const shape: FloatParameter = { kind: 'float', name, low, high, log, ...(step === undefined ? {} : { step }), default: low };
    const fallback = floatKind.decode(shape, [0.5]) as number;
    const value = readDefault(fields, fallback, (v) => floatKind.contains(shape, v), describe(shape));
    return { ...shape, default: value, ...(description === undefined ? {} : { description }) };
  },

  width: () => 1,

  encode(p, value) {
    const v = value as number;
    if (p.high === p.low) return [0.5];
    const u = p.log ? Math.log(v / p.low) / Math.log(p.high / p.low) : (v - p.low) / (p.high - p.low);
    return [clampUnit(u)];
  },

  decode(p, unit) {
    const u = clampUnit(unit[0] ?? 0.5);
    const raw = p.log ? p.low * Math.pow(p.high / p.low, u) : p.low + u * (p.high - p.low);
    return p.step === undefined ? Math.min(p.high, Math.max(p.low, raw)) : snapToStep(raw, p.low, p.high, p.step);
  },

  sample(p, rng: Rng) {
    return floatKind.decode(p, [rng.next()]);
  },

  contains(p, value) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    const span = Math.max(1, Math.abs(p.high - p.low));
    if (value < p.low - GRID_TOLERANCE * span || value > p.high + GRID_TOLERANCE * span) return false;
    if (p.step === undefined) return true;
    const steps = (value - p.low) / p.step;
    return Math.abs(steps - Math.round(steps)) < GRID_TOLERANCE * Math.max(1, steps);
  },

  levels(p, count): ParamValue[] {
    return uniqueValues(spreadPositions(count).map((u) => floatKind.decode(p, [u])));
  },
};

function snapToStep(raw: number, low: number, high: number, step: number): number {
  const lastStep = Math.floor((high - low) / step + GRID_TOLERANCE);
  const k = Math.min(lastStep, Math.max(0, Math.round((raw - low) / step)));
  return Number((low + k * step).toPrecision(12)); // 0.5 + 3 * 0.1 would otherwise print as 0.8000000000000002
}

function describe(p: { low: number; high: number; step?: number }): string {
  return p.step === undefined ? `within ${p.low}..${p.high}` : `within ${p.low}..${p.high} in steps of ${p.step}`;
}
