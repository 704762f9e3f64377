import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GaussianProcess } from '../../../src/gp/gaussian-process.ts';
import { fitOutputTransform } from '../../../src/gp/transform.ts';
import { createRng } from '../../../src/random/rng.ts';

const f = ([a, b]: readonly number[]) => Math.sin(5 * a!) + Math.cos(3 * b!) + a! * b!;

function randomPoints(count: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => [rng.next(), rng.next()]);
}

describe('Gaussian process', () => {
  const inputs = randomPoints(25, 1);
  const model = GaussianProcess.fit(inputs, inputs.map(f));

  test('interpolates noiseless data', () => {
    const predicted = model.predict(inputs).mean.map((m) => model.transform.inverse(m));
    predicted.forEach((value, i) => assert.ok(Math.abs(value - f(inputs[i]!)) < 0.02, `point ${i}: ${value} vs ${f(inputs[i]!)}`));
  });

  test('variance is small at observed points and larger away from them', () => {
    const atData = model.predict(inputs).variance;
    const far = model.predict([[0.5, 1.6], [-0.6, 0.5]]).variance;
    const largestAtData = Math.max(...atData);
    for (const v of far) assert.ok(v > 20 * largestAtData, `far variance ${v} vs at data ${largestAtData}`);
  });

  test('the single-point and mean-only predictions agree with the full one', () => {
    const points = randomPoints(5, 7);
    const full = model.predict(points);
    assert.deepEqual(model.predictMean(points).map((m) => m.toFixed(10)), full.mean.map((m) => m.toFixed(10)));
    points.forEach((point, i) => {
      const withWeights = model.predictWithWeights(point);
      const withGradient = model.predictWithGradient(point);
      assert.ok(Math.abs(withWeights.mean - (full.mean[i] as number)) < 1e-10);
      assert.ok(Math.abs(withWeights.variance - (full.variance[i] as number)) < 1e-10);
      withWeights.weights.forEach((w, j) => assert.ok(Math.abs(w - (withGradient.weights[j] as number)) < 1e-12));
    });
  });

  test('predicts unseen points of a smooth function well', () => {
    const unseen = randomPoints(50, 2);
    const predicted = model.predict(unseen).mean.map((m) => model.transform.inverse(m));
    const rmse = Math.sqrt(predicted.reduce((sum, value, i) => sum + (value - f(unseen[i]!)) ** 2, 0) / unseen.length);
    assert.ok(rmse < 0.15, `rmse ${rmse}`);
  });

  test('fits noisy data without interpolating the noise', () => {
    const rng = createRng(3);
    const points = randomPoints(40, 4);
    const noisy = GaussianProcess.fit(points, points.map((p) => f(p) + 0.3 * rng.normal()));
    const noiseSd = Math.sqrt(noisy.hyperparameters.noiseVariance); // in standardized units
    assert.ok(noiseSd > 0.05, `noise sd ${noiseSd} should be learned`);
  });

  test('survives duplicate inputs and constant values', () => {
    const constant = GaussianProcess.fit([[0.2, 0.2], [0.2, 0.2], [0.7, 0.1]], [5, 5, 5]);
    const { mean } = constant.predict([[0.4, 0.4]]);
    assert.ok(Math.abs(constant.transform.inverse(mean[0]!) - 5) < 1e-6);
  });
});

describe('output transform', () => {
  test('is monotone and inverts, for values spanning orders of magnitude', () => {
    const latencies = [0.8, 1.2, 3, 9, 40, 150, 900, 5000];
    const transform = fitOutputTransform(latencies);
    const forward = latencies.map(transform.forward);
    for (let i = 1; i < forward.length; i++) assert.ok(forward[i]! > forward[i - 1]!);
    latencies.forEach((v) => assert.ok(Math.abs(transform.inverse(transform.forward(v)) - v) < 1e-6 * v));
  });

  test('handles negative values', () => {
    const transform = fitOutputTransform([-3.3, -2, -0.5, 0, 0.1]);
    assert.ok(Math.abs(transform.inverse(transform.forward(-2)) + 2) < 1e-9);
  });
});
