import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MarginalLikelihood } from '../../../src/gp/likelihood.ts';
import { minimize } from '../../../src/gp/lbfgs.ts';
import { createRng } from '../../../src/random/rng.ts';

describe('marginal likelihood', () => {
  test('analytic gradient matches central finite differences', () => {
    const rng = createRng(7);
    const inputs = Array.from({ length: 12 }, () => [rng.next(), rng.next(), rng.next()]);
    const targets = inputs.map(([a, b, c]) => Math.sin(4 * a!) + b! * b! - 0.5 * c! + 0.05 * rng.normal());
    const likelihood = new MarginalLikelihood(inputs, targets);
    const theta = [Math.log(0.4), Math.log(0.9), Math.log(2), Math.log(1.3), Math.log(0.01)];
    const { gradient } = likelihood.negativeLogPosterior(theta);
    theta.forEach((_, k) => {
      const h = 1e-5;
      const up = theta.map((t, i) => (i === k ? t + h : t));
      const down = theta.map((t, i) => (i === k ? t - h : t));
      const numeric = (likelihood.negativeLogPosterior(up).value - likelihood.negativeLogPosterior(down).value) / (2 * h);
      assert.ok(Math.abs(numeric - gradient[k]!) < 1e-4 * Math.max(1, Math.abs(numeric)), `θ${k}: analytic ${gradient[k]} vs numeric ${numeric}`);
    });
  });

  test('absurd hyperparameters are infinitely unlikely, not a crash', () => {
    const likelihood = new MarginalLikelihood([[0], [1]], [0, 1]);
    assert.equal(likelihood.negativeLogPosterior([100, 0, 0]).value, Infinity);
  });
});

describe('L-BFGS', () => {
  test('finds the minimum of the Rosenbrock function', () => {
    const rosenbrock = ([x, y]: readonly number[]) => ({
      value: (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2,
      gradient: [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)],
    });
    const { x } = minimize(rosenbrock, [-1.2, 1], { maxIterations: 500, tolerance: 1e-14 });
    assert.ok(Math.abs(x[0]! - 1) < 1e-3 && Math.abs(x[1]! - 1) < 1e-3, `ended at ${x}`);
  });
});
