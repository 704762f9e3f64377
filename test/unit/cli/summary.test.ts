import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProgressLines } from '../../../src/cli/progress.ts';
import { formatSummary, timeSpentLines } from '../../../src/cli/summary-text.ts';
import { summarizeStudy } from '../../../src/domain/summary.ts';
import { studyTimeSpent } from '../../../src/domain/time-spent.ts';
import { aStudy } from '../storage/fixtures.ts';
import { TIMED_STUDY, timedTrial } from '../report/fixtures.ts';
import type { TrialMetrics, TrialRecord } from '../../../src/domain/records.ts';
import type { FailureKind } from '../../../src/domain/vocabulary.ts';
import { studyName } from '../../../src/study/study-name.ts';
import { studyRecord } from '../loop/fakes.ts';

function metrics(meanMs: number): TrialMetrics {
  return {
    meanMs, meanCi95Ms: 1, p50Ms: meanMs, p90Ms: meanMs, p95Ms: meanMs, p99Ms: meanMs * 2, maxMs: meanMs * 3,
    throughputRps: 1000 / meanMs, requests: 100, errors: 0, errorsByKind: {}, cpuSeconds: 1, peakMemoryBytes: 2e8,
    energyJoules: 5, energySource: 'estimate', joulesPerRequest: 0.05, costUsd: 0.0001, usdPerMillionRequests: 1, windowS: 10,
  };
}

function trial(number: number, state: TrialRecord['state'], meanMs?: number, failureKind?: FailureKind): TrialRecord {
  return {
    studyId: 'unit-study', number, state, params: { replicas: number + 1 }, startedAt: '2026-01-01T00:00:00Z',
    ...(meanMs === undefined ? {} : { metrics: metrics(meanMs), objectiveValue: state === 'complete' ? meanMs : undefined }),
    ...(failureKind ? { failureKind, failureMessage: `${failureKind} happened` } : {}),
  };
}

describe('study summary', () => {
  const trials = [trial(0, 'complete', 120), trial(1, 'failed', undefined, 'oom_killed'), trial(2, 'complete', 40), trial(3, 'complete', 60)];

  test('baseline against best, with the speed-up and the best configuration', () => {
    const summary = summarizeStudy(studyRecord(), trials);
    assert.equal(summary.baseline?.number, 0);
    assert.equal(summary.best?.number, 2);
    assert.equal(summary.speedup, 3);
    assert.deepEqual(summary.counts, { running: 0, complete: 3, failed: 1, interrupted: 0 });
    const text = formatSummary(summary);
    assert.match(text, /baseline \(trial 0\)\s+best \(trial 2\)/);
    assert.match(text, /speed-up: 3\.00× lower mean latency/);
    assert.match(text, /best configuration \(trial 2, 40 ms\): replicas=3/);
  });

  test('one column, and no speed-up claimed, when the baseline is the best', () => {
    const text = formatSummary(summarizeStudy(studyRecord(), [trial(0, 'complete', 30), trial(1, 'complete', 45)]));
    assert.match(text, /baseline = best \(trial 0\)/);
    assert.doesNotMatch(text, /best \(trial 1\)|speed-up/);
    assert.match(text, /no configuration beat the baseline/);
  });

  test('says so when nothing completed', () => {
    const text = formatSummary(summarizeStudy(studyRecord(), [trial(0, 'failed', undefined, 'not_ready')]));
    assert.match(text, /no trial completed/);
  });

  test('progress lines count trials and report the best so far', () => {
    const progress = new ProgressLines('mean');
    const started = progress.line({ type: 'trial-started', number: 0, attempt: 1, budget: 4, params: { replicas: 1 }, isBaseline: true, at: 0 });
    assert.match(started, /1\/4 trial 0 \(baseline\): replicas=1/);
    const finished = progress.line({ type: 'trial-finished', trial: trials[0]!, attempts: 1, budget: 4, best: trials[0], startedAt: 0, at: 20_000 });
    assert.match(finished, /1\/4 trial 0 complete: 120 ms \| best 120 ms \(trial 0\) \| ETA 1m00s/);
    const failed = progress.line({ type: 'trial-finished', trial: trials[1]!, attempts: 2, budget: 4, best: trials[0], startedAt: 20_000, at: 30_000 });
    assert.match(failed, /trial 1 failed \(oom_killed\): oom_killed happened/);
  });

  test('study names are derived from what defines a study', () => {
    const identity = { model: 'gan', strategy: 'bo', concurrency: 4, budget: 10, seed: 2, objective: 'mean' as const };
    assert.equal(studyName(identity), 'gan-bo-c4-b10-s2');
    assert.equal(studyName({ ...identity, objective: 'p99' }), 'gan-bo-c4-b10-s2-p99');
    assert.equal(studyName({ ...identity, model: '/data/My Model/' }), 'my-model-bo-c4-b10-s2');
  });
});

describe('time and deploys in the terminal', () => {
  const finishedLine = (trial: TrialRecord) =>
    new ProgressLines('mean').line({ type: 'trial-finished', trial, attempts: 8, budget: 10, best: trial, startedAt: 0, at: 10_000 });

  test('a trial-finished line says how a kept replica set was deployed and where the window was cut', () => {
    const shortcut = timedTrial({ number: 7, startS: 0, endS: 10, deploySeconds: 0.9, deployMode: 'reconfigured', windowS: 3.5, stoppedEarly: true, meanMs: 812 });
    assert.match(finishedLine(shortcut), /8\/10 trial 7 complete \(reconfigured in 0\.9 s, stopped early at 3\.5 s\): 812 ms \| best/);
    const reloaded = timedTrial({ number: 7, startS: 0, endS: 10, deploySeconds: 4.2, deployMode: 'reloaded', windowS: 30, meanMs: 812 });
    assert.match(finishedLine(reloaded), /trial 7 complete \(reloaded in 4\.2 s\): 812 ms \|/);
    const stopped = timedTrial({ number: 7, startS: 0, endS: 10, deploySeconds: 12, windowS: 3.5, stoppedEarly: true, meanMs: 812 });
    assert.match(finishedLine(stopped), /trial 7 complete \(stopped early at 3\.5 s\): 812 ms \|/, 'a row without a mode was deployed fresh');
  });

  test('a fresh deploy, the usual case, adds nothing to the line', () => {
    const fresh = timedTrial({ number: 7, startS: 0, endS: 10, deploySeconds: 12, deployMode: 'fresh', windowS: 30, meanMs: 812 });
    assert.match(finishedLine(fresh), /trial 7 complete: 812 ms \|/);
  });

  test('the summary says where the time went, what stopping early saved and how trials were deployed', () => {
    const time = studyTimeSpent(TIMED_STUDY);
    assert.deepEqual(timeSpentLines(time), [
      'time (3m10s wall): 24s deploying, 25s warming up, 1m50s measuring, 32s other',
      '41s saved by 2 trials stopped early; deploys: 2 reconfigured, 1 reloaded, 2 fresh',
    ]);
    const text = formatSummary(summarizeStudy(TIMED_STUDY.study, TIMED_STUDY.trials));
    assert.match(text, /\(budget 30\)\ntime \(3m10s wall\): 24s deploying.*\n41s saved by 2 trials stopped early/);
    assert.doesNotMatch(formatSummary(summarizeStudy(TIMED_STUDY.study, [])), /^time/m, 'nothing before any trial finished');
  });

  test('parallel trials: the summary calls the sums busy time; plain fresh runs get no second line', () => {
    const study = aStudy({ warmupS: 5, durationS: 30, parallel: 2 });
    const trials = [
      timedTrial({ number: 0, startS: 0, endS: 50, deploySeconds: 10, windowS: 30 }),
      timedTrial({ number: 1, startS: 2, endS: 48, deploySeconds: 8, windowS: 30 }),
    ];
    assert.deepEqual(timeSpentLines(studyTimeSpent({ study, trials })), ['time (busy time of up to 2 trials at once, over 50s wall): 18s deploying, 10s warming up, 1m00s measuring, 0s other']);
  });

  test('nothing to say before any trial finished', () => {
    assert.deepEqual(timeSpentLines(studyTimeSpent({ study: aStudy(), trials: [] })), []);
  });

});

describe('confirmation in the summary', () => {
  const trials = [trial(0, 'complete', 120), trial(1, 'failed', undefined, 'oom_killed'), trial(2, 'complete', 40), trial(3, 'complete', 60)];

  test('a confirmed winner is stated with its rounds, P(best) and margin; confirmation trials are counted apart', () => {
    const confirming = (number: number, confirms: number, round: number, meanMs: number): TrialRecord => ({ ...trial(number, 'complete', meanMs), params: { replicas: confirms + 1 }, kind: 'confirmation', confirms, round });
    // Trial 2 measured 40 once and 52, 50 again; trial 3 measured 60 once and 61, 59.5 again.
    const withRounds = [...trials, confirming(4, 2, 1, 52), confirming(5, 3, 1, 61), confirming(6, 2, 2, 50), confirming(7, 3, 2, 59.5)];
    const summary = summarizeStudy(studyRecord({ confirm: 2 }), withRounds);
    assert.deepEqual(summary.counts, { running: 0, complete: 3, failed: 1, interrupted: 0 });
    assert.equal(summary.confirmation?.status, 'confirmed');
    const text = formatSummary(summary);
    // The margin, 9.25 ms, is 18.1% of 51 ms; its interval t(0.975, 1) · 0.25 = 3.18 ms, 6.2%.
    assert.match(text, /^confirmed: trial 2 is best \(51 ms ± 12\.7 over 2 rounds, P\(best\) 0\.9\d\), 18\.1% ± 6\.2% ahead of trial 3$/m);
    assert.match(text, /^ {2}trial 2: search 40 ms; rounds 52 50 → 51 ms ± 12\.7, P\(best\) 0\.9\d: replicas=3$/m);
    assert.doesNotMatch(text, /warning/);
    const progress = new ProgressLines('mean');
    const line = progress.line({ type: 'confirmation-finished', trial: withRounds[7]!, verdict: summary.confirmation, startedAt: 0, at: 1000 });
    assert.match(line, /^confirm trial 7 complete: 59\.5 ms \| leader trial 2: 51 ms over 2 rounds, P\(best\) 0\.9\d$/);
  });

  test('an undecided winner comes with a warning, and a changed one with a note', () => {
    const confirming = (number: number, confirms: number, round: number, meanMs: number): TrialRecord => ({ ...trial(number, 'complete', meanMs), kind: 'confirmation', confirms, round });
    const rounds = [confirming(4, 2, 1, 61), confirming(5, 3, 1, 60), confirming(6, 2, 2, 60.5), confirming(7, 3, 2, 59)];
    const text = formatSummary(summarizeStudy(studyRecord({ confirm: 2 }), [...trials, ...rounds]));
    assert.match(text, /^undecided after 2 rounds: trial 3 leads .*: within the noise$/m);
    assert.match(text, /^warning: the winner's advantage is within the noise after 2 rounds: trial 2 may be as good$/m);
    assert.match(text, /^note: the search alone would have named trial 2; measured again, trial 3 is ahead$/m);
  });
});
