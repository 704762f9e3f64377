import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderSvg } from '../../../src/report/render.ts';
import { gainOverRandom, gainPoints, sweepPlan, sweepPlots, sweepResults, sweepTableLines } from '../../../src/dse/sweep.ts';
import { means, studyWith } from '../report/fixtures.ts';

const study = (strategy: string, concurrency: number, ...latencies: (number | null)[]) =>
  studyWith({ id: `gan-${strategy}-c${concurrency}`, model: 'gan', strategy, concurrency }, means(...latencies));

describe('sweep plan', () => {
  test('one study per level and strategy, levels ascending, named as a plain tune run names them', () => {
    const plan = sweepPlan({ model: 'marian', levels: [10, 1, 10], strategies: ['bo', 'random'], seed: 3, budget: 20, objective: 'mean' });
    assert.deepEqual(plan, [
      { concurrency: 1, strategy: 'bo', studyId: 'marian-bo-c1-b20-s3' },
      { concurrency: 1, strategy: 'random', studyId: 'marian-random-c1-b20-s3' },
      { concurrency: 10, strategy: 'bo', studyId: 'marian-bo-c10-b20-s3' },
      { concurrency: 10, strategy: 'random', studyId: 'marian-random-c10-b20-s3' },
    ]);
  });

  test('a cost objective is part of the name, so it never reuses a latency study', () => {
    const [planned] = sweepPlan({ model: 'bert', levels: [8], strategies: ['bo'], seed: 1, budget: 15, objective: 'cost' });
    assert.equal(planned?.studyId, 'bert-bo-c8-b15-s1-cost');
  });
});

describe('sweep results', () => {
  const studies = [study('bo', 5, 40, 20, 25), study('random', 5, 40, 30, null), study('bo', 1, 10, 8), study('random', 1, null, null)];

  test('per level: the best mean latency per strategy and where it was found', () => {
    const [c1, c5] = sweepResults(studies);
    assert.equal(c1?.concurrency, 1);
    assert.deepEqual(c1?.strategies.map((s) => [s.strategy, s.meanMs, s.trial]), [['bo', 8, 1], ['random', undefined, undefined]]);
    assert.equal(c5?.best?.strategy, 'bo');
    assert.equal(c5?.best?.meanMs, 20);
    assert.equal(c5?.best?.params?.replicas, 2); // the fixture's trial 1 has replicas 2
  });

  test('the gain is random best ÷ BO best, and missing when one side has no complete trial', () => {
    const [c1, c5] = sweepResults(studies);
    assert.equal(c5?.gain, 1.5);
    assert.equal(c1?.gain, undefined);
    assert.equal(gainOverRandom([{ strategy: 'bo', meanMs: 10, studyId: 'a' }, { strategy: 'random', meanMs: 8, studyId: 'b' }]), 0.8);
  });

  test('two studies of one strategy at a level: the better one counts', () => {
    const [c5] = sweepResults([study('bo', 5, 30), studyWith({ id: 'other', model: 'gan', strategy: 'bo', concurrency: 5 }, means(12))]);
    assert.equal(c5?.strategies.length, 1);
    assert.equal(c5?.strategies[0]?.meanMs, 12);
  });

  test('the table has a row per level with each strategy, the gain and the best configuration', () => {
    const lines = sweepTableLines(sweepResults(studies));
    assert.match(lines[0]!, /concurrency\s+bo best mean ms\s+random best mean ms\s+gain \(random\/bo\)\s+best configuration/);
    assert.match(lines[1]!, /^1\s+8\s+–\s+–\s+bo #1: replicas=2/);
    assert.match(lines[2]!, /^5\s+20\s+30\s+1\.50×\s+bo #1: replicas=2/);
  });

  test('plots: latency per level, the gain where both strategies completed, RTT from the stored histograms', () => {
    const results = sweepResults(studies);
    assert.deepEqual(gainPoints(results), [{ concurrency: 5, gain: 1.5 }]);
    const asked: string[] = [];
    const plots = sweepPlots('gan', studies, results, (id, n) => (asked.push(`${id}#${n}`), [{ upperMs: 10, count: 3 }, { upperMs: 20, count: 1 }]));
    assert.deepEqual(plots.map((p) => p.name), ['gan-sweep-latency', 'gan-sweep-gain', 'gan-sweep-rtt']);
    assert.deepEqual(asked, ['gan-bo-c1#1', 'gan-bo-c5#1']);
  });

  test('the gain plot renders, with one bar per level that has a gain', async () => {
    const all = [...studies, study('bo', 10, 10), study('random', 10, 30)];
    const [, gain] = sweepPlots('gan', all, sweepResults(all), () => []);
    const svg = await renderSvg(gain!.spec);
    assert.match(svg, /^<svg/);
    assert.equal(svg.match(/aria-roledescription="bar"/g)?.length, 2);
  });
});
