import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../src/random/rng.ts';
import { createSampler } from '../../../src/samplers/factory.ts';
import { gridSize, GridSampler } from '../../../src/samplers/grid.ts';
import { LhsSampler } from '../../../src/samplers/lhs.ts';
import { RandomSampler } from '../../../src/samplers/random.ts';
import type { Observation, Sampler } from '../../../src/samplers/sampler.ts';
import { configurationKey, parseSearchSpace, unwrapSpace, type Params, type SearchSpace } from '../../../src/space/index.ts';

const SMALL = {
  parameters: [
    { name: 'replicas', kind: 'int', low: 1, high: 4 },
    { name: 'batch', kind: 'pow2', low: 1, high: 64 },
    { name: 'mode', kind: 'categorical', choices: ['a', 'b'] },
  ],
};
const small = unwrapSpace(parseSearchSpace(SMALL, 'small'));

function propose(sampler: Sampler, space: SearchSpace, count: number, seed = 0): Params[] {
  const history: Observation[] = [];
  for (let i = 0; i < count; i++) history.push({ params: sampler.suggest(space, history, createRng(seed).fork(`trial-${i}`)), value: i });
  return history.map((o) => o.params);
}

describe('grid sampler', () => {
  test('gridSize multiplies the levels of every parameter', () => {
    assert.equal(gridSize(small, 3), 3 * 3 * 2);
    assert.equal(gridSize(small, 7), 4 * 7 * 2);
  });

  test('visits every grid point exactly once, ends included, before repeating anything', () => {
    const points = propose(new GridSampler(3), small, 18);
    assert.equal(new Set(points.map((p) => configurationKey(small, p))).size, 18);
    assert.deepEqual([...new Set(points.map((p) => p['batch']))].sort((a, b) => (a as number) - (b as number)), [1, 8, 64]);
  });

  test('skips grid points that break a constraint', () => {
    const constrained = unwrapSpace(parseSearchSpace({ ...SMALL, constraints: ['replicas * batch <= 8'] }, 'c'));
    const points = propose(new GridSampler(3), constrained, 6);
    assert.ok(points.every((p) => (p['replicas'] as number) * (p['batch'] as number) <= 8));
  });
});

describe('Latin hypercube sampler', () => {
  test('puts exactly one proposal in each slice of every coordinate', () => {
    const line = unwrapSpace(parseSearchSpace({ parameters: [{ name: 'x', kind: 'float', low: 0, high: 1 }, { name: 'y', kind: 'float', low: 0, high: 1 }] }, 'line'));
    const points = propose(new LhsSampler({ size: 10, seed: 3 }), line, 10);
    for (const name of ['x', 'y']) {
      const slices = points.map((p) => Math.floor((p[name] as number) * 10)).sort((a, b) => a - b);
      assert.deepEqual(slices, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  test('the design depends on the seed only, not on per-trial randomness', () => {
    assert.deepEqual(propose(new LhsSampler({ size: 8, seed: 1 }), small, 5, 1), propose(new LhsSampler({ size: 8, seed: 1 }), small, 5, 2));
  });
});

describe('random sampler and factory', () => {
  test('random proposals cover the choices and avoid repeats', () => {
    const points = propose(new RandomSampler(), small, 40);
    assert.equal(new Set(points.map((p) => configurationKey(small, p))).size, 40);
    assert.deepEqual(new Set(points.map((p) => p['mode'])), new Set(['a', 'b']));
  });

  test('every strategy is deterministic for a seed', () => {
    for (const name of ['random', 'grid', 'lhs', 'bo']) {
      const run = () => propose(createSampler(name, { seed: 5, budget: 10, initialTrials: 3 }), small, 6, 5);
      assert.deepEqual(run(), run(), name);
    }
  });

  test('an unknown strategy is a clear error', () => {
    assert.throws(() => createSampler('annealing'), { message: 'unknown strategy "annealing" (known: bo, random, grid, lhs)' });
  });
});
