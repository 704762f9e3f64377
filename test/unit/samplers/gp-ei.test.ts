import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../src/random/rng.ts';
import { bestEstimate } from '../../../src/samplers/best-estimate.ts';
import { createSampler } from '../../../src/samplers/factory.ts';
import { GpEiSampler } from '../../../src/samplers/gp-ei.ts';
import { outcomeOf, type Observation } from '../../../src/samplers/sampler.ts';
import { configurationKey, isValidConfiguration, parseSearchSpace, unwrapSpace, type Params } from '../../../src/space/index.ts';
import { Study } from '../../../src/study/study.ts';

const square = unwrapSpace(parseSearchSpace({ parameters: [{ name: 'x', kind: 'float', low: 0, high: 1 }, { name: 'm', kind: 'float', low: 0, high: 1 }] }, 'square'));
const x = (p: Params) => p['x'] as number;
const m = (p: Params) => p['m'] as number;

function randomHistory(count: number, seed: number, observe: (p: Params) => Observation): Observation[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => observe({ x: rng.next(), m: rng.next() }));
}

describe('GP-EI sampler', () => {
  test('failed trials steer later proposals away from where they failed', () => {
    // Lower m is better, but configurations with m < 0.5 fail (say, out of memory).
    const observe = (p: Params): Observation => (m(p) < 0.5 ? { params: p, failed: 'oom_killed' } : { params: p, value: (x(p) - 0.3) ** 2 + m(p) });
    const withFailures = randomHistory(16, 1, observe);
    const withoutFailures = withFailures.filter((o) => outcomeOf(o) === 'complete');
    const sampler = new GpEiSampler({ initialTrials: 4 });
    const proposals = (history: Observation[]) => Array.from({ length: 6 }, (_, k) => sampler.suggest(square, history, createRng(k)));
    const steered = proposals(withFailures);
    const unaware = proposals(withoutFailures);
    const report = `steered m: ${steered.map(m).join(', ')}; unaware m: ${unaware.map(m).join(', ')}`;
    // Unaware of the failures, EI heads deep into the failing region; aware, it stays at its edge.
    assert.ok(unaware.filter((p) => m(p) < 0.2).length >= 4, report);
    assert.ok(steered.every((p) => m(p) > 0.35), report);
  });

  test("with a context, each context's design spreads away from the other contexts' points", () => {
    const sampler = new GpEiSampler({ initialTrials: 4, seed: 1 });
    const history: Observation[] = [];
    const design = (context: number[]) =>
      Array.from({ length: 4 }, (_, k) => {
        const params = sampler.suggest(square, history, createRng(k), context);
        history.push({ params, value: x(params), context });
        return params;
      });
    const low = design([0]);
    const high = design([1]);
    const gap = (a: Params, b: Params) => Math.hypot(x(a) - x(b), m(a) - m(b));
    // Alone, the second context would repeat the first one's design point for point.
    assert.ok(high.every((p) => low.every((q) => gap(p, q) > 0.05)), `low ${JSON.stringify(low)}, high ${JSON.stringify(high)}`);
  });

  test('a history of nothing but failures does not crash the fit', () => {
    const history = randomHistory(10, 2, (p) => ({ params: p, failed: 'crashed' }));
    history.push({ params: { x: 0.5, m: 0.5 }, value: Number.NaN }, { params: { x: 0.6, m: 0.5 }, value: Infinity });
    const params = new GpEiSampler({ initialTrials: 2 }).suggest(square, history, createRng(0));
    assert.ok(isValidConfiguration(square, params));
  });

  test('proposes near the optimum of a smooth function within a few trials', () => {
    const study = new Study({ space: square, sampler: new GpEiSampler({ initialTrials: 5 }), seed: 3, baselineFirst: false });
    for (let i = 0; i < 20; i++) {
      const { number, params } = study.ask();
      study.tell(number, (x(params) - 0.3) ** 2 + (m(params) - 0.7) ** 2);
    }
    assert.ok(study.best()!.value < 1e-3, `best ${study.best()!.value}`);
  });

  test('never proposes a configuration already measured, and exhausts a small discrete space', () => {
    const tiny = unwrapSpace(parseSearchSpace({ parameters: [{ name: 'n', kind: 'int', low: 0, high: 3 }, { name: 'c', kind: 'categorical', choices: ['a', 'b'] }] }, 'tiny'));
    const study = new Study({ space: tiny, sampler: createSampler('bo', { initialTrials: 3 }), seed: 4 });
    const keys = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const { number, params } = study.ask();
      keys.add(configurationKey(tiny, params));
      study.tell(number, (params['n'] as number) + (params['c'] === 'a' ? 0.5 : 0));
    }
    assert.equal(keys.size, 8);
  });

  test('the same seed gives the same sequence; another seed another', () => {
    const run = (seed: number) => {
      const study = new Study({ space: square, sampler: createSampler('bo', { initialTrials: 3 }), seed });
      return Array.from({ length: 6 }, () => {
        const { number, params } = study.ask();
        study.tell(number, x(params) + m(params));
        return params;
      });
    };
    assert.deepEqual(run(11), run(11));
    assert.notDeepEqual(run(11), run(12));
  });
});

describe('best estimate under noise', () => {
  test('trusts the model over lucky measurements, and says which trial it chose', () => {
    const truth = (p: Params) => (x(p) - 0.5) ** 2;
    const gains = [1, 2, 3, 4, 5].map((seed) => {
      const rng = createRng(seed);
      const history: Observation[] = Array.from({ length: 30 }, (_, i) => {
        const params = { x: i / 29, m: 0.5 };
        return { params, value: truth(params) + 0.03 * rng.normal() };
      });
      history.push({ params: { x: 0.3, m: 0.5 }, failed: 'crashed' });
      const luckiest = history.reduce((best, o, i) => ((o.value ?? Infinity) < (history[best]!.value ?? Infinity) ? i : best), 0);
      const estimate = bestEstimate(square, history)!;
      assert.deepEqual(estimate.params, history[estimate.index]!.params);
      assert.equal(estimate.observedValue, history[estimate.index]!.value);
      assert.ok(Math.abs(estimate.estimatedValue - truth(estimate.params)) < 0.05); // noise sd is 0.03
      return truth(history[luckiest]!.params) - truth(estimate.params);
    });
    // Never much worse than the luckiest (a tenth of the noise), and better overall.
    assert.ok(gains.every((gain) => gain >= -0.005), `true-value gains over the luckiest trial: ${gains}`);
    assert.ok(gains.reduce((sum, gain) => sum + gain, 0) > 0.01, `true-value gains over the luckiest trial: ${gains}`);
  });

  test('is undefined without a completed trial', () => {
    assert.equal(bestEstimate(square, [{ params: { x: 0, m: 0 }, failed: 'x' }]), undefined);
  });
});
