/** Powers of two between low and high (batch sizes and the like); each exponent owns an equal cell. */
import type { Rng } from '../../random/rng.ts';
import type { FieldReader } from '../fields.ts';
import { cellCentre, cellIndex, spreadPositions, uniqueValues, type ParameterKind, type Pow2Parameter } from '../parameter.ts';
import { readDefault, readRange } from './numeric-range.ts';

export const pow2Kind: ParameterKind<Pow2Parameter> = {
  keys: ['low', 'high'],

  parse(fields, name, description) {
    const { low, high } = readRange(fields);
    requirePowerOfTwo(fields, 'low', low);
    requirePowerOfTwo(fields, 'high', high);
    const shape: Pow2Parameter = { kind: 'pow2', name, low, high, default: low };
    const value = readDefault(fields, low, (v) => pow2Kind.contains(shape, v), `a power of two within ${low}..${high}`);
    return { ...shape, default: value, ...(description === undefined ? {} : { description }) };
  },

  width: () => 1,

  encode(p, value) {
    return [cellCentre(Math.round(Math.log2(value as number)) - Math.log2(p.low), exponentCount(p))];
  },

  decode(p, unit) {
    return p.low * 2 ** cellIndex(unit[0] ?? 0.5, exponentCount(p));
  },

  sample(p, rng: Rng) {
    return pow2Kind.decode(p, [rng.next()]);
  },

  contains(p, value) {
    return typeof value === 'number' && isPowerOfTwo(value) && value >= p.low && value <= p.high;
  },

  levels(p, count) {
    return uniqueValues(spreadPositions(count).map((u) => pow2Kind.decode(p, [u])));
  },
};

function exponentCount(p: Pow2Parameter): number {
  return Math.log2(p.high / p.low) + 1;
}

function isPowerOfTwo(value: number): boolean {
  return value >= 1 && Number.isInteger(value) && Number.isInteger(Math.log2(value));
}

function requirePowerOfTwo(fields: FieldReader, key: string, value: number): void {
  if (!isPowerOfTwo(value)) fields.fail('not_power_of_two', `"${key}" must be a power of two (1, 2, 4, ...), got ${value}`);
}
