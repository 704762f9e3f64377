import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createRng } from '../../../src/random/rng.ts';
import { kindOf } from '../../../src/space/kinds/index.ts';
import type { Parameter } from '../../../src/space/parameter.ts';
import { parseSearchSpace } from '../../../src/space/parse.ts';
import { decode, encode, unwrapSpace } from '../../../src/space/index.ts';

const PARAMETERS: Parameter[] = [
  { kind: 'float', name: 'linear', low: -2, high: 3, log: false, default: 0 },
  { kind: 'float', name: 'logged', low: 0.001, high: 10, log: true, default: 1 },
  { kind: 'float', name: 'stepped', low: 0.5, high: 2, log: false, step: 0.25, default: 1 },
  { kind: 'int', name: 'count', low: -3, high: 7, log: false, step: 1, default: 0 },
  { kind: 'int', name: 'memory', low: 256, high: 4096, log: true, step: 1, default: 2048 },
  { kind: 'int', name: 'timeout', low: 0, high: 20000, log: false, step: 250, default: 0 },
  { kind: 'pow2', name: 'batch', low: 1, high: 64, default: 1 },
  { kind: 'categorical', name: 'mode', choices: ['sequential', 'parallel', 'other'], default: 'sequential' },
];

describe('parameter kinds', () => {
  for (const parameter of PARAMETERS) {
    const kind = kindOf(parameter);
    const unitVector = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: kind.width(parameter), maxLength: kind.width(parameter) });

    test(`${parameter.name} (${parameter.kind}): any unit point decodes to a valid value that round-trips`, () => {
      fc.assert(
        fc.property(unitVector, (unit) => {
          const value = kind.decode(parameter, unit);
          assert.ok(kind.contains(parameter, value), `decoded ${value}`);
          const encoded = kind.encode(parameter, value);
          assert.equal(encoded.length, kind.width(parameter));
          assert.ok(encoded.every((u) => u >= 0 && u <= 1));
          const back = kind.decode(parameter, encoded);
          if (parameter.kind === 'float' && parameter.step === undefined) assert.ok(Math.abs((back as number) - (value as number)) <= 1e-12 * Math.max(1, Math.abs(value as number)));
          else assert.equal(back, value); // discrete kinds round-trip exactly
        }),
        { numRuns: 300 },
      );
    });

    test(`${parameter.name} (${parameter.kind}): sampled values are valid and levels include both ends`, () => {
      const rng = createRng(parameter.name);
      for (let i = 0; i < 200; i++) assert.ok(kind.contains(parameter, kind.sample(parameter, rng)));
      const levels = kind.levels(parameter, 3);
      assert.ok(levels.every((v) => kind.contains(parameter, v)));
      if (parameter.kind !== 'categorical') {
        assert.equal(levels[0], parameter.low);
        assert.equal(levels.at(-1), parameter.kind === 'int' ? parameter.low + Math.floor((parameter.high - parameter.low) / parameter.step) * parameter.step : parameter.high);
      }
    });
  }

  test('every integer and power of two of a range is reachable and owns an equal share of the cube', () => {
    const batch = PARAMETERS.find((p) => p.name === 'batch')!;
    const counts = new Map<number, number>();
    for (let i = 0; i < 700; i++) {
      const value = kindOf(batch).decode(batch, [(i + 0.5) / 700]) as number;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    assert.deepEqual([...counts.keys()], [1, 2, 4, 8, 16, 32, 64]);
    assert.ok([...counts.values()].every((c) => c === 100));
  });

  test('a whole configuration round-trips through the unit cube, categoricals one-hot', () => {
    const space = unwrapSpace(parseSearchSpace({ parameters: PARAMETERS }, 't.json'));
    const params = { linear: 1.5, logged: 0.1, stepped: 1.75, count: 4, memory: 1000, timeout: 500, batch: 8, mode: 'parallel' };
    const point = encode(space, params);
    assert.deepEqual(point.slice(-3), [0, 1, 0]);
    const back = decode(space, point);
    assert.equal(back['memory'], 1000);
    assert.equal(back['mode'], 'parallel');
    assert.ok(Math.abs((back['logged'] as number) - 0.1) < 1e-12);
  });
});
