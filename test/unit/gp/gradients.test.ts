import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logExpectedImprovement, logExpectedImprovementWithGradient } from '../../../src/gp/acquisition.ts';
import { GaussianProcess } from '../../../src/gp/gaussian-process.ts';
import { minimize } from '../../../src/gp/lbfgs.ts';
import { NoisyExpectedImprovement } from '../../../src/gp/noisy-ei.ts';
import { createRng } from '../../../src/random/rng.ts';

const H = 1e-6;

/** Central differences of f at x, coordinate by coordinate. */
function numericGradient(f: (x: number[]) => number, x: readonly number[]): number[] {
  return x.map((_, k) => {
    const up = [...x];
    const down = [...x];
    up[k] = (up[k] as number) + H;
    down[k] = (down[k] as number) - H;
    return (f(up) - f(down)) / (2 * H);
  });
}

function assertClose(actual: readonly number[], expected: readonly number[], tolerance: number, label: string): void {
  actual.forEach((a, k) => {
    const e = expected[k] as number;
    assert.ok(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)), `${label}[${k}]: analytic ${a}, finite difference ${e}`);
  });
}

function sampleModel(noise: number, seed = 1): { model: GaussianProcess; inputs: number[][] } {
  const rng = createRng(seed);
  const inputs = Array.from({ length: 14 }, () => [rng.next(), rng.next(), rng.next()]);
  const values = inputs.map(([a, b, c]) => Math.sin(5 * a!) + (b! - 0.4) ** 2 + 0.3 * c! + noise * rng.normal());
  return { model: GaussianProcess.fit(inputs, values), inputs };
}

const points = [[0.3, 0.6, 0.2], [0.9, 0.1, 0.5], [0.05, 0.95, 0.7]];

describe('gradients against finite differences', () => {
  test('posterior mean and variance (Matérn-5/2 ARD)', () => {
    const { model } = sampleModel(0.05);
    for (const point of points) {
      const p = model.predictWithGradient(point);
      const predicted = model.predict([point]);
      assert.ok(Math.abs(p.mean - predicted.mean[0]!) < 1e-10 && Math.abs(p.variance - predicted.variance[0]!) < 1e-10);
      assertClose(p.meanGradient, numericGradient((x) => model.predict([x]).mean[0]!, point), 1e-5, 'mean');
      assertClose(p.varianceGradient, numericGradient((x) => model.predict([x]).variance[0]!, point), 1e-5, 'variance');
    }
  });

  test('log EI in mean and sd, at the centre and far into the tail', () => {
    for (const [mean, sd, best] of [[0.2, 0.5, 0.1], [1, 0.3, 0.2], [40, 1, 0], [3, 2, 3]] as const) {
      const g = logExpectedImprovementWithGradient(mean, sd, best);
      assert.ok(Math.abs(g.value - logExpectedImprovement(mean, sd, best)) < 1e-12);
      const [dMean, dSd] = numericGradient(([m, s]) => logExpectedImprovement(m!, s!, best), [mean, sd]);
      assertClose([g.dMean, g.dSd], [dMean!, dSd!], 1e-5, `log EI at ${mean}, ${sd}`);
    }
  });

  test('noisy log EI in the point', () => {
    const { model } = sampleModel(0.2);
    const nei = new NoisyExpectedImprovement(model, createRng(3));
    for (const point of points) {
      const { value, gradient } = nei.logValueWithGradient(point);
      assert.ok(Math.abs(value - nei.logValue(point)) < 1e-10);
      assertClose(gradient, numericGradient((x) => nei.logValue(x), point), 1e-4, 'noisy log EI');
    }
  });
});

describe('noisy expected improvement', () => {
  test('equals EI at the best observation in the noiseless limit', () => {
    const rng = createRng(5);
    const inputs = Array.from({ length: 10 }, () => [rng.next(), rng.next()]);
    const fitted = GaussianProcess.fit(inputs, inputs.map(([a, b]) => (a! - 0.3) ** 2 + (b! - 0.6) ** 2));
    const hyperparameters = { ...fitted.hyperparameters, noiseVariance: 1e-9 };
    const model = GaussianProcess.conditioned(inputs, fitted.targets, fitted.transform, inputs.map(() => 0), hyperparameters);
    const nei = new NoisyExpectedImprovement(model, createRng(6));
    const best = Math.min(...model.targets);
    for (const point of [[0.31, 0.58], [0.9, 0.9], [0.5, 0.2]]) {
      const { mean, variance } = model.predict([point]);
      const plain = logExpectedImprovement(mean[0]!, Math.sqrt(variance[0]!), best);
      assert.ok(Math.abs(nei.logValue(point) - plain) < 0.02 * Math.max(1, Math.abs(plain)), `at ${point}: noisy ${nei.logValue(point)}, plain ${plain}`);
    }
  });

  test('stays finite far in the tail, where plain EI underflows to zero', () => {
    const { model, inputs } = sampleModel(0.01);
    const nei = new NoisyExpectedImprovement(model, createRng(2));
    // At a measured point the improvement is all but impossible; the log keeps it comparable.
    for (const point of inputs.slice(0, 5)) {
      const { value, gradient } = nei.logValueWithGradient(point);
      assert.ok(Number.isFinite(value) && gradient.every(Number.isFinite), `at ${point}: ${value}, ${gradient}`);
    }
  });
});

describe('bounded L-BFGS', () => {
  test('finds a minimum on the boundary of the box and an interior one inside it', () => {
    const bowl = (centre: number[]) => (x: readonly number[]) => ({
      value: x.reduce((s, v, i) => s + (v - centre[i]!) ** 2 * (i + 1), 0),
      gradient: x.map((v, i) => 2 * (v - centre[i]!) * (i + 1)),
    });
    const bounds = { lower: [0, 0, 0], upper: [1, 1, 1] };
    const edge = minimize(bowl([1.5, 0.3, -2]), [0.5, 0.5, 0.5], { maxIterations: 50, bounds, tolerance: 1e-12 });
    assertClose(edge.x, [1, 0.3, 0], 1e-6, 'edge');
    const inside = minimize(bowl([0.2, 0.7, 0.4]), [0.9, 0.1, 0.9], { maxIterations: 50, bounds, tolerance: 1e-12 });
    assertClose(inside.x, [0.2, 0.7, 0.4], 1e-6, 'inside');
  });
});
