import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProgressLines } from '../../../src/cli/progress.ts';
import { formatSummary } from '../../../src/cli/summary-text.ts';
import { summarizeStudy } from '../../../src/domain/summary.ts';
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
