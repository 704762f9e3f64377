import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareStrategies, comparisonLines, trialsToReach } from '../../../src/dse/compare.ts';
import { createRng } from '../../../src/random/rng.ts';
import { means, studyWith } from '../report/fixtures.ts';

const seeded = () => {
  const rng = createRng(42);
  return () => rng.next();
};

/** A study whose trial n has mean latency curve(n). */
function run(strategy: string, seed: number, count: number, curve: (n: number) => number | null) {
  return studyWith({ id: `${strategy}-${seed}`, strategy, seed }, means(...Array.from({ length: count }, (_, n) => curve(n))));
}

describe('compareStrategies', () => {
  test('trials to reach counts trials, baseline included', () => {
    assert.equal(trialsToReach([undefined, 50, 30, 21], 20, 0.05), 4);
    assert.equal(trialsToReach([100, 50], 20, 0.05), undefined);
    assert.equal(trialsToReach([20], 20, 0.05), 1);
  });

  test('per strategy: best, best after checkpoints, trials to near-best and speed-up, over seeds', () => {
    const studies = [
      run('random', 1, 12, (n) => (n === 0 ? 100 : 60 - n)), // best 49 at trial 11
      run('random', 2, 12, (n) => (n === 0 ? 100 : 55)), // best 55
      run('bo', 1, 12, (n) => (n === 0 ? 100 : n === 3 ? null : 100 / (n + 1))), // best 100/12 ≈ 8.33
      run('bo', 2, 12, (n) => (n === 0 ? 100 : 20)), // best 20
    ];
    const comparison = compareStrategies(studies, { random: seeded(), checkpoints: [5, 10, 20] });
    assert.equal(comparison.bestKnown, 100 / 12);
    const [random, bo] = comparison.strategies;
    assert.equal(random?.strategy, 'random');
    assert.deepEqual(random?.best, { median: 52, min: 49, max: 55, n: 2 });
    assert.deepEqual(random?.bestAfter, [
      { trials: 5, spread: { median: 55.5, min: 55, max: 56, n: 2 } },
      { trials: 10, spread: { median: 53, min: 51, max: 55, n: 2 } },
      { trials: 20 },
    ]);
    assert.equal(random?.trialsToNearBest, undefined);
    assert.deepEqual(random?.speedup, { median: (100 / 49 + 100 / 55) / 2, min: 100 / 55, max: 100 / 49, n: 2 });
    assert.deepEqual(bo?.trialsToNearBest, { median: 12, min: 12, max: 12, n: 1 });
    assert.deepEqual(bo?.speedup, { median: (12 + 5) / 2, min: 5, max: 12, n: 2 });
    assert.deepEqual(comparison.tests.map((t) => [t.strategy, t.against]), [['bo', 'random']]);
  });

  test('clearly separated strategies test as significant; overlapping ones do not', () => {
    const seeds = [1, 2, 3, 4, 5];
    const separated = [...seeds.map((s) => run('random', s, 3, () => 50 + s)), ...seeds.map((s) => run('bo', s, 3, () => 20 + s))];
    const p = compareStrategies(separated, { random: seeded() }).tests[0]?.pValue;
    assert.ok(p !== undefined && p < 0.05, `p = ${p}`);
    const overlapping = [...seeds.map((s) => run('random', s, 3, () => 20 + s)), ...seeds.map((s) => run('bo', s, 3, () => 21 + ((s * 3) % 5)))] // the same five values, shuffled;
    const q = compareStrategies(overlapping, { random: seeded() }).tests[0]?.pValue;
    assert.ok(q !== undefined && q > 0.5, `p = ${q}`);
  });

  test('the speed-up is over the baseline, the first measured trial: an interrupted trial 0 does not count', () => {
    const interrupted = studyWith({ id: 'bo-1', strategy: 'bo' }, [{ failure: 'interrupted' }, { meanMs: 60 }, { meanMs: 20 }]);
    assert.deepEqual(compareStrategies([interrupted], { random: seeded() }).strategies[0]?.speedup, { median: 3, min: 3, max: 3, n: 1 });
  });

  test('one seed per strategy gets no significance test', () => {
    const comparison = compareStrategies([run('random', 1, 2, () => 30), run('bo', 1, 2, () => 20)], { random: seeded() });
    assert.deepEqual(comparison.tests, []);
    assert.match(comparisonLines(comparison).at(-1)!, /needs at least 2 seeds/);
  });
});

describe('comparison table', () => {
  test('the table names the objective, each strategy and the test', () => {
    const seeds = [1, 2];
    const studies = [...seeds.map((s) => run('random', s, 11, () => 50 + s)), ...seeds.map((s) => run('bo', s, 11, (n) => (n === 0 ? 50 : 20 + s)))];
    const lines = comparisonLines(compareStrategies(studies, { random: seeded(), checkpoints: [10] }));
    assert.match(lines[0]!, /^Objective: Mean latency \(ms\), lower is better/);
    assert.match(lines[1]!, /^strategy\s+seeds\s+best\s+best@10\s+trials to within 5%\s+speed-up vs baseline$/);
    assert.match(lines[2]!, /^random\s+2\s+51\.5 \[51–52\]\s+51\.5 \[51–52\]\s+never \(0\/2\)\s+1\.00×$/);
    assert.match(lines[3]!, /^bo\s+2\s+21\.5 \[21–22\]\s+21\.5 \[21–22\]\s+2 \(2\/2\)\s+2\.33× \[2\.27×–2\.38×\]$/);
    assert.equal(new Set(lines.slice(1, 4).map((l) => l.length)).size, 1);
    assert.match(lines[4]!, /^bo vs random: p = \d\.\d{3} \(two-sided permutation test/);
  });
});
