import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectedImprovement, logExpectedImprovement } from '../../../src/gp/acquisition.ts';
import { normalCdf } from '../../../src/gp/normal.ts';

describe('expected improvement', () => {
  test('log EI agrees with EI wherever EI is accurate', () => {
    for (let z = -25; z <= 6; z += 0.25) {
      const ei = expectedImprovement(0, 2, 2 * z);
      const logEi = logExpectedImprovement(0, 2, 2 * z);
      assert.ok(Math.abs(logEi - Math.log(ei)) < 1e-9 * Math.max(1, Math.abs(logEi)), `z=${z}: ${logEi} vs ${Math.log(ei)}`);
    }
  });

  test('log EI stays finite and decreasing far in the tail, where EI underflows to 0', () => {
    assert.equal(expectedImprovement(0, 1, -60), 0);
    let previous = Infinity;
    for (const z of [-40, -60, -100, -1e3, -1e5]) {
      const value = logExpectedImprovement(0, 1, z);
      assert.ok(Number.isFinite(value), `z=${z}`);
      assert.ok(value < previous);
      previous = value;
    }
    // h(z) ≈ φ(z) / z² for z → −∞
    const z = -1000;
    const asymptotic = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z);
    assert.ok(Math.abs(logExpectedImprovement(0, 1, z) - asymptotic) < 1e-5);
  });

  test('EI is the improvement itself when there is no uncertainty', () => {
    assert.equal(expectedImprovement(1, 0, 3), 2);
    assert.equal(expectedImprovement(4, 0, 3), 0);
  });

  test('the normal CDF is continuous where its two methods meet and matches known values', () => {
    assert.ok(Math.abs(normalCdf(-3 - 1e-12) - normalCdf(-3 + 1e-12)) < 1e-12);
    assert.ok(Math.abs(normalCdf(-1.959963984540054) - 0.025) < 1e-12);
    assert.ok(Math.abs(normalCdf(-5) / 2.866515718791939e-7 - 1) < 1e-10);
  });
});
