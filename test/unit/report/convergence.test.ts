import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bestSoFar, convergenceOverTime, convergenceOverTimeSpec, convergenceSeries, studyBestSoFar } from '../../../src/report/convergence.ts';
import { aStudy } from '../storage/fixtures.ts';
import { means, studyWith, TIMED_STUDY, timedTrial } from './fixtures.ts';

describe('convergence', () => {
  test('best so far is a running minimum that waits for the first value', () => {
    assert.deepEqual(bestSoFar([undefined, 5, 7, 3, undefined, 4]), [undefined, 5, 5, 3, 3, 3]);
  });

  test('failed trials do not count towards a study best', () => {
    assert.deepEqual(studyBestSoFar(studyWith({}, means(null, 40, null, 30, 35))), [undefined, 40, 40, 30, 30]);
  });

  test('rows that never measured their configuration take no place on the curve', () => {
    const study = studyWith({}, [{ failure: 'interrupted' }, { meanMs: 80 }, { failure: 'stale' }, { meanMs: 20 }, { failure: 'oom_killed' }]);
    assert.deepEqual(studyBestSoFar(study), [80, 20, 20], 'the baseline, then the best after 2 and 3 measured trials');
  });

  test('one median line per strategy with a min–max band over seeds', () => {
    const studies = [
      studyWith({ id: 'bo-1', strategy: 'bo', seed: 1 }, means(50, 30, 20)),
      studyWith({ id: 'bo-2', strategy: 'bo', seed: 2 }, means(60, 40, 45)),
      studyWith({ id: 'bo-3', strategy: 'bo', seed: 3 }, means(null, 45)),
      studyWith({ id: 'rnd-1', strategy: 'random', seed: 1 }, means(50, 49)),
    ];
    const series = convergenceSeries(studies);
    assert.deepEqual(series.map(({ tip: _, ...point }) => point), [
      { strategy: 'bo', trial: 0, median: 55, low: 50, high: 60, seeds: 2 },
      { strategy: 'bo', trial: 1, median: 40, low: 30, high: 45, seeds: 3 },
      { strategy: 'bo', trial: 2, median: 30, low: 20, high: 40, seeds: 2 },
      { strategy: 'random', trial: 0, median: 50, low: 50, high: 50, seeds: 1 },
      { strategy: 'random', trial: 1, median: 49, low: 49, high: 49, seeds: 1 },
    ]);
    // Each point's tooltip: what it plots, then the best configuration any seed had found by then.
    assert.deepEqual(Object.entries(series[1]!.tip).slice(0, 6), [
      ['strategy', 'bo'], ['measured trials', 2], ['best so far, median over 3 seed(s)', '40'], ['min–max over seeds', '30–45'], ['trial', '#1 of bo-1'], ['state', 'complete'],
    ]);
    assert.equal(series[1]!.tip.replicas, 2, 'trial 1 of the fixture runs 2 replicas');
  });

  test('a p99 study converges on p99, not on the mean', () => {
    const study = studyWith({ objective: 'p99' }, [{ meanMs: 10, overrides: { p99Ms: 90 } }, { meanMs: 20, overrides: { p99Ms: 40 } }]);
    assert.deepEqual(studyBestSoFar(study), [90, 40]);
  });
});

describe('convergence against wall-clock time', () => {
  test('best so far at the minute each measured trial finished, from the first start', () => {
    const points = convergenceOverTime([TIMED_STUDY]);
    assert.deepEqual(points.map((p) => [p.trial, p.minutes, p.best]), [
      [0, 50 / 60, 80],
      [1, 70 / 60, 80], // stopped early: worse, the best stays
      [2, 112 / 60, 40],
      [3, 2, 40], // failed: it took its time, the best stays
      [4, 170 / 60, 40],
      [5, 190 / 60, 40],
    ]);
    assert.ok(points.every((p) => p.strategy === 'bo' && p.study === TIMED_STUDY.study.id));
  });

  test('parallel trials count in the order they finished; unmeasured and running rows take no point', () => {
    const study = aStudy({ parallel: 2 });
    const trials = [
      timedTrial({ number: 0, startS: 10, endS: 70, windowS: 30, meanMs: 90 }),
      timedTrial({ number: 1, startS: 10, endS: 40, windowS: 30, meanMs: 50 }), // finished first
      timedTrial({ number: 2, startS: 40, endS: 55, state: 'interrupted', failureKind: 'interrupted' }),
      timedTrial({ number: 3, startS: 70, endS: 130, windowS: 30, meanMs: 20 }),
      timedTrial({ number: 4, startS: 130 }),
    ];
    assert.deepEqual(convergenceOverTime([{ study, trials }]).map((p) => [p.trial, p.minutes, p.best]), [[1, 0.5, 50], [0, 1, 50], [3, 2, 20]]);
  });

  test('one line per study, each on its own clock; a study with nothing finished has none', () => {
    const early = { study: aStudy({ id: 'a', seed: 1 }), trials: [timedTrial({ number: 0, startS: 0, endS: 60, windowS: 30, meanMs: 10 })] };
    const late = { study: aStudy({ id: 'b', seed: 2 }), trials: [timedTrial({ number: 0, startS: 600, endS: 630, windowS: 30, meanMs: 12 })] };
    const idle = { study: aStudy({ id: 'c' }), trials: [timedTrial({ number: 0, startS: 0 })] };
    assert.deepEqual(convergenceOverTime([early, late, idle]).map((p) => [p.study, p.minutes]), [['a', 1], ['b', 0.5]]);
  });

  test('the plot draws best against minutes, a line per study coloured by strategy, on a log scale', () => {
    const spec = convergenceOverTimeSpec(convergenceOverTime([TIMED_STUDY]), 'Mean latency (ms)', 'Over time') as {
      encoding: { x: { field: string; axis?: unknown }; y: { field: string; title: string; scale: unknown }; color: { field: string }; detail: { field: string } };
    };
    assert.deepEqual(
      [spec.encoding.x.field, spec.encoding.y.field, spec.encoding.y.title, spec.encoding.y.scale, spec.encoding.color.field, spec.encoding.detail.field],
      ['minutes', 'best', 'Mean latency (ms), log scale', { type: 'log' }, 'strategy', 'study'],
    );
    assert.equal(spec.encoding.x.axis, undefined, 'minutes are not whole numbers');
  });
});
