import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bestSoFar, convergenceSeries, studyBestSoFar } from '../../../src/report/convergence.ts';
import { means, studyWith } from './fixtures.ts';

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
    assert.deepEqual(convergenceSeries(studies), [
      { strategy: 'bo', trial: 0, median: 55, low: 50, high: 60, seeds: 2 },
      { strategy: 'bo', trial: 1, median: 40, low: 30, high: 45, seeds: 3 },
      { strategy: 'bo', trial: 2, median: 30, low: 20, high: 40, seeds: 2 },
      { strategy: 'random', trial: 0, median: 50, low: 50, high: 50, seeds: 1 },
      { strategy: 'random', trial: 1, median: 49, low: 49, high: 49, seeds: 1 },
    ]);
  });

  test('a p99 study converges on p99, not on the mean', () => {
    const study = studyWith({ objective: 'p99' }, [{ meanMs: 10, overrides: { p99Ms: 90 } }, { meanMs: 20, overrides: { p99Ms: 40 } }]);
    assert.deepEqual(studyBestSoFar(study), [90, 40]);
  });
});
