import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../src/random/rng.ts';
import { createSampler } from '../../../src/samplers/factory.ts';
import { GpEiSampler } from '../../../src/samplers/gp-ei.ts';
import { chebyshev, ParEgoSampler, scalarizedHistory, simplexWeights } from '../../../src/samplers/parego.ts';
import { RandomSampler } from '../../../src/samplers/random.ts';
import type { Observation } from '../../../src/samplers/sampler.ts';
import { isFeasible, parseSearchSpace, unwrapSpace, type Params } from '../../../src/space/index.ts';

// Two knobs under a constraint; a trade-off between the objectives along a, and a failing corner.
const space = unwrapSpace(
  parseSearchSpace(
    {
      parameters: [
        { name: 'a', kind: 'float', low: 0, high: 1 },
        { name: 'b', kind: 'int', low: 0, high: 8 },
      ],
      constraints: ['a * 8 + b <= 12'],
    },
    'parego',
  ),
);
const a = (p: Params) => p['a'] as number;
const b = (p: Params) => p['b'] as number;

function observe(params: Params): Observation {
  if (a(params) > 0.9 && b(params) > 3) return { params, failed: 'oom_killed' };
  const values = [1 + 10 * a(params) + b(params), 1 + 10 * (1 - a(params)) ** 2 + (b(params) - 2) ** 2];
  return { params, value: values[0], values };
}

/** A study's proposals as the Study makes them: each attempt on its own named stream. */
function proposals(seed: number, trials: number): Params[] {
  const sampler = createSampler('bo', { budget: trials, seed, initialTrials: 4, objectives: 2 });
  const rng = createRng(seed);
  const history: Observation[] = [];
  for (let attempt = 0; attempt < trials; attempt++) history.push(observe(sampler.suggest(space, history, rng.fork(`attempt-${attempt}`))));
  return history.map((o) => o.params);
}

describe('ParEGO sampler', () => {
  test('weights are uniform on the simplex: non-negative, summing to one, fixed by the stream', () => {
    const rng = createRng(1);
    for (let i = 0; i < 50; i++) {
      const weights = simplexWeights(3, rng);
      assert.ok(weights.every((w) => w >= 0));
      assert.ok(Math.abs(weights.reduce((s, w) => s + w, 0) - 1) < 1e-12);
    }
    assert.deepEqual(simplexWeights(2, createRng(7)), simplexWeights(2, createRng(7)));
  });

  test('the augmented Chebyshev value: the largest weighted term plus 0.05 of their sum', () => {
    assert.ok(Math.abs(chebyshev([0.25, 0.75], [1, 0.2]) - (0.25 + 0.05 * 0.4)) < 1e-12);
  });

  test('scalarizing scales each objective over the completed trials (log first for positive values) and keeps failures and running trials', () => {
    const history: Observation[] = [
      { params: { a: 0, b: 0 }, value: 1, values: [1, 100], noiseVariance: 0.1 },
      { params: { a: 1, b: 0 }, value: 100, values: [100, 1] },
      { params: { a: 0.5, b: 0 }, value: 10, values: [10, 10] },
      { params: { a: 0.2, b: 1 }, failed: 'oom_killed' },
      { params: { a: 0.3, b: 1 } },
    ];
    const scalarized = scalarizedHistory(history, [0.5, 0.5]);
    // Scaled in log space the middle trial sits at (0.5, 0.5): max 0.25 + 0.05 · 0.5.
    assert.ok(Math.abs(scalarized[2]!.value! - 0.275) < 1e-12, String(scalarized[2]!.value));
    assert.ok(Math.abs(scalarized[0]!.value! - (0.5 + 0.05 * 0.5)) < 1e-12);
    assert.equal(scalarized[0]!.noiseVariance, undefined, 'the noise of one objective is not the scalarization’s');
    assert.deepEqual(scalarized.slice(3), history.slice(3));
  });

  test('a completed trial without its objective values is an error with a code', () => {
    assert.throws(() => scalarizedHistory([{ params: { a: 0, b: 0 }, value: 1 }], [0.5, 0.5]), { code: 'missing_objective_values' });
  });

  test('proposes only feasible configurations, never one twice, and the same seed gives the same sequence', () => {
    const first = proposals(3, 12);
    assert.ok(first.every((p) => isFeasible(space, p)), JSON.stringify(first));
    assert.equal(new Set(first.map((p) => JSON.stringify(p))).size, first.length);
    assert.deepEqual(proposals(3, 12), first);
    assert.notDeepEqual(proposals(4, 12), first);
  });

  test('`bo` with several objectives is ParEGO over GP-EI; random search stays random search', () => {
    const parego = createSampler('bo', { objectives: 2 });
    assert.ok(parego instanceof ParEgoSampler && parego.name === 'bo' && parego.objectives === 2);
    assert.ok(createSampler('bo', { objectives: 1 }) instanceof GpEiSampler);
    assert.ok(createSampler('random', { objectives: 2 }) instanceof RandomSampler);
  });
});
