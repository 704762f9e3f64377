import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GaussianProcess } from '../../../src/gp/gaussian-process.ts';
import { concurrencyAt, loadContext, loadCoordinate, loadRange } from '../../../src/study/load-context.ts';

describe('load context', () => {
  const range = loadRange([16, 1, 4, 64]);

  test('the lowest level is 0, the highest 1, and levels in between on a log scale', () => {
    assert.deepEqual(range, { low: 1, high: 64 });
    assert.equal(loadCoordinate(1, range), 0);
    assert.equal(loadCoordinate(64, range), 1);
    assert.ok(Math.abs(loadCoordinate(8, range) - 0.5) < 1e-12); // 8 = √(1 × 64)
    assert.ok(Math.abs(loadCoordinate(4, range) - 1 / 3) < 1e-12);
    assert.deepEqual(loadContext(64, range), [1]);
  });

  test('one level is the middle of the interval', () => {
    const one = loadRange([8, 8]);
    assert.equal(loadCoordinate(8, one), 0.5);
    assert.equal(concurrencyAt(0.5, one), 8);
  });

  test('concurrencyAt inverts the coordinate', () => {
    for (const c of [1, 3, 10, 64]) assert.ok(Math.abs(concurrencyAt(loadCoordinate(c, range), range) - c) < 1e-9);
  });

  test('levels must be positive', () => {
    assert.throws(() => loadRange([0, 4]), RangeError);
    assert.throws(() => loadRange([]), RangeError);
  });
});

describe('a GP with the load as a context column', () => {
  test('on a landscape monotone in load, its prediction at an unmeasured level lies between the neighbouring levels', () => {
    const levels = [1, 4, 16, 64];
    const range = loadRange(levels);
    // Latency grows with load at every configuration x; the best x moves with load too.
    const latency = (x: number, clients: number) => 5 + 3 * Math.log2(clients) + 4 * (x - 0.2 - 0.1 * Math.log2(clients) / 6) ** 2;
    const measured = [1, 4, 64]; // 16 clients never measured
    const xs = [0, 0.15, 0.3, 0.45, 0.6, 0.8, 1];
    const inputs = measured.flatMap((c) => xs.map((x) => [x, ...loadContext(c, range)]));
    const values = measured.flatMap((c) => xs.map((x) => latency(x, c)));
    const model = GaussianProcess.fit(inputs, values);
    const at = (x: number, c: number) => model.transform.inverse(model.predict([[x, ...loadContext(c, range)]]).mean[0] as number);
    for (const x of [0.1, 0.35, 0.7]) {
      const [below, unmeasured, above] = [at(x, 4), at(x, 16), at(x, 64)];
      assert.ok(below < unmeasured && unmeasured < above, `x=${x}: ${below} < ${unmeasured} < ${above}`);
    }
  });
});
