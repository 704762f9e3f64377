// The README's library example, run as written against the package entry point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSampler, parseSearchSpace, Study, unwrapSpace } from '../../../src/index.ts';

const branin = (x: number, y: number) =>
  (y - (5.1 / (4 * Math.PI ** 2)) * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;

test('the README example optimizes Branin to within 0.5 of its optimum in 30 trials', () => {
  const space = unwrapSpace(parseSearchSpace({ parameters: [
    { name: 'x', kind: 'float', low: -5, high: 10 }, { name: 'y', kind: 'float', low: 0, high: 15 } ] }, 'branin'));
  const study = new Study({ space, sampler: createSampler('bo', { budget: 30, seed: 1 }), seed: 1, baselineFirst: false });
  for (let i = 0; i < 30; i++) {
    const { number, params } = study.ask();
    study.tell(number, branin(params.x as number, params.y as number));
  }
  const best = study.best();
  assert.ok(best !== undefined && best.value !== undefined);
  assert.ok(best.value < 0.398 + 0.5, `best ${best.value} is not near the optimum 0.398`);
});
