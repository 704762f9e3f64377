/**
 * Each observation's own measurement noise enters the GP: a short, stopped-early window (wide interval) must
 * move the posterior less than a full one (narrow interval) reporting the same value at the same place.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GaussianProcess } from '../../../src/gp/gaussian-process.ts';

// A smooth trend in 1-D, and one surprising value at x = 0.5 where the trend says about 10.
const inputs = [[0], [0.1], [0.2], [0.3], [0.4], [0.6], [0.7], [0.8], [0.9], [1], [0.5]];
const trend = (x: number): number => 10 + 4 * Math.sin(3 * x);
const values = [...inputs.slice(0, -1).map(([x]) => trend(x as number)), 16];

function posteriorAtSurprise(noiseOfSurprise: number): { mean: number; variance: number } {
  const noise = values.map((_, i) => (i === values.length - 1 ? noiseOfSurprise : 0.01));
  const gp = GaussianProcess.fit(inputs, values, { noise, outputTransform: 'standardize' });
  const { mean, variance } = gp.predict([[0.5]]);
  return { mean: mean[0] as number, variance: variance[0] as number };
}

describe('heteroscedastic GP: per-observation noise', () => {
  test('a noisier observation moves the posterior less, and leaves it less certain', () => {
    // Same values, so the same output transform: the means (on its scale) compare directly.
    const precise = posteriorAtSurprise(0.01);
    const noisy = posteriorAtSurprise(4);
    const ignored = posteriorAtSurprise(1e6); // as good as not observed: the trend's value
    const pull = (p: { mean: number }) => p.mean - ignored.mean;
    assert.ok(pull(precise) > 0, `the precise observation pulls the posterior up: ${pull(precise)}`);
    assert.ok(pull(noisy) >= 0 && pull(noisy) < 0.6 * pull(precise), `noisy pull ${pull(noisy).toFixed(3)} vs precise ${pull(precise).toFixed(3)}`);
    assert.ok(noisy.variance > precise.variance, `variance ${noisy.variance} > ${precise.variance}`);
  });
});
