import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { summarizeStudy } from '../../../src/domain/summary.ts';
import type { TrialRecord } from '../../../src/domain/records.ts';
import { attemptsSoFar, baselineTrial, bestTrial, isMeasuredAttempt, measurementVariance, speedup, trialValue } from '../../../src/domain/trials.ts';
import { someMetrics } from '../storage/fixtures.ts';
import { means, studyWith } from '../report/fixtures.ts';

describe('the rules for reading trials', () => {
  test('the baseline is the first measured attempt: an interrupted trial 0 hands it to trial 1', () => {
    const { trials } = studyWith({}, [{ failure: 'interrupted' }, { meanMs: 80 }, { meanMs: 20 }]);
    assert.equal(baselineTrial(trials)?.number, 1);
    assert.equal(attemptsSoFar(trials), 2);
    assert.equal(speedup(trials), 4);
  });

  test('infrastructure failures are not attempts; failures of the configuration are', () => {
    const { trials } = studyWith({}, [{ failure: 'stale' }, { failure: 'engine_unreachable' }, { failure: 'oom_killed' }, { meanMs: 5 }]);
    assert.deepEqual(trials.map(isMeasuredAttempt), [false, false, true, true]);
    assert.equal(baselineTrial(trials)?.number, 2);
    assert.equal(speedup(trials), undefined, 'a failed baseline leaves the speed-up unknown');
  });

  test("a trial's value on another objective comes from its metrics; the best follows the objective", () => {
    const { trials } = studyWith({}, [
      { meanMs: 50, overrides: { p99Ms: 60 } },
      { meanMs: 40, overrides: { p99Ms: 400 } },
    ]);
    assert.equal(trialValue(trials[1]!, 'p99'), 400);
    assert.equal(bestTrial(trials, 'mean')?.number, 1);
    assert.equal(bestTrial(trials, 'p99')?.number, 0);
  });

  test('the summary: baseline against best, the speed-up as baseline ÷ best, counts by state', () => {
    const { study, trials } = studyWith({}, means(60, null, 20, 30));
    const summary = summarizeStudy(study, trials);
    assert.equal(summary.baseline?.value, 60);
    assert.equal(summary.best?.value, 20);
    assert.equal(summary.best?.number, 2);
    assert.equal(summary.speedup, 3);
    assert.equal(summary.attempts, 4);
    assert.deepEqual(summary.counts, { running: 0, complete: 3, failed: 1, interrupted: 0 });
  });
});

describe('measurement variance', () => {
  const trial = (objectiveValue: number, meanCi95Ms = 1.96): TrialRecord => ({
    studyId: 's', number: 1, state: 'complete', params: {}, metrics: someMetrics({ meanMs: 40, meanCi95Ms }), objectiveValue, startedAt: '2026-12-02T00:00:00Z',
  });

  test("is the squared standard error of a mean-latency trial's batch-means interval", () => {
    assert.equal(measurementVariance(trial(40)), 1);
  });

  test('is unknown for another objective or an interval of zero', () => {
    assert.equal(measurementVariance(trial(80)), undefined); // told its p99
    assert.equal(measurementVariance(trial(40, 0)), undefined);
  });
});
