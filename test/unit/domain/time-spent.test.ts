import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { studySpan, studyTimeSpent, trialDeploy } from '../../../src/domain/time-spent.ts';
import { aStudy } from '../storage/fixtures.ts';
import { CLOCK_START, TIMED_STUDY, timedTrial } from '../report/fixtures.ts';

describe('time spent', () => {
  test('sums each phase exactly; other is the rest of the wall time', () => {
    assert.deepEqual(studyTimeSpent(TIMED_STUDY), {
      deployingS: 10 + 1.5 + 4 + 8 + 0.5,
      warmingUpS: 5 * 5, // the five measured trials, the failed one measured too
      measuringS: 30 + 12 + 30 + 30 + 7.5,
      otherS: 190 - 24 - 25 - 109.5,
      wallS: 190,
      parallel: 1,
      savedByEarlyStopS: 30 - 12 + (30 - 7.5),
      stoppedEarly: 2,
      byDeployMode: { fresh: 2, reconfigured: 2, reloaded: 1 },
      confirmationTrials: 0,
      confirmingS: 0,
    });
  });

  test('parallel trials: the phases are busy seconds, more than the wall time, and other never goes negative', () => {
    const study = aStudy({ warmupS: 5, durationS: 30, parallel: 2 });
    const trials = [
      timedTrial({ number: 0, startS: 0, endS: 50, deploySeconds: 10, windowS: 30 }),
      timedTrial({ number: 1, startS: 2, endS: 48, deploySeconds: 8, windowS: 30 }),
      timedTrial({ number: 2, startS: 48, endS: 90, deploySeconds: 6, windowS: 30 }),
    ];
    const time = studyTimeSpent({ study, trials });
    assert.deepEqual([time.deployingS, time.warmingUpS, time.measuringS, time.wallS, time.otherS, time.parallel], [24, 15, 90, 90, 0, 2]);
    assert.ok(time.deployingS + time.warmingUpS + time.measuringS > time.wallS);
  });

  test('no trials, or none finished yet: nothing spent', () => {
    const zero = { deployingS: 0, warmingUpS: 0, measuringS: 0, otherS: 0, wallS: 0, parallel: 1, savedByEarlyStopS: 0, stoppedEarly: 0, byDeployMode: { fresh: 0, reconfigured: 0, reloaded: 0 }, confirmationTrials: 0, confirmingS: 0 };
    assert.deepEqual(studyTimeSpent({ study: aStudy(), trials: [] }), zero);
    assert.deepEqual(studyTimeSpent({ study: aStudy(), trials: [timedTrial({ number: 0, startS: 0 })] }), zero);
  });

  test('the span runs from the first start to the last finish, in whatever order the trials finished', () => {
    const trials = [timedTrial({ number: 0, startS: 10, endS: 100 }), timedTrial({ number: 1, startS: 5, endS: 60 }), timedTrial({ number: 2, startS: 70 })];
    assert.deepEqual(studySpan(trials), { startMs: CLOCK_START + 5000, endMs: CLOCK_START + 100_000 });
    assert.equal(studySpan([timedTrial({ number: 0, startS: 0 })]), undefined);
  });

  test('a trial deployed if it has seconds or a mode; rows without a mode were fresh', () => {
    assert.deepEqual(trialDeploy({ deploySeconds: 3 }), { mode: 'fresh', seconds: 3 });
    assert.deepEqual(trialDeploy({ deployMode: 'reloaded' }), { mode: 'reloaded' });
    assert.equal(trialDeploy({}), undefined);
  });
});
