import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tQuantile } from '../../../src/load/t-quantile.ts';
import type { WindowProgress } from '../../../src/load/types.ts';
import { createRng, type Rng } from '../../../src/random/rng.ts';
import { EARLY_STOP_CHECK_EVERY_S, EARLY_STOP_DEFAULTS, hopeless, type EarlyStopSettings } from '../../../src/study/early-stop.ts';

const INCUMBENT_MS = 20;

/** A snapshot past every minimum (2.5 s, 200 requests, 12 batches), with the given mean and standard error. */
function eligible(meanMs: number, meanStandardErrorMs: number): WindowProgress {
  return { elapsedS: 2.5, completed: 200, errors: 0, meanMs, meanStandardErrorMs, batches: 12 };
}

/** A random snapshot of a window that has passed every minimum of `settings`. */
function randomEligible(rng: Rng, settings: EarlyStopSettings): WindowProgress {
  const batches = rng.int(2, 19);
  return {
    elapsedS: settings.minSeconds + rng.next() * 8,
    completed: Math.max(settings.minRequests, batches) + rng.int(0, 5000),
    errors: rng.int(0, 20),
    meanMs: 1 + rng.next() * 500,
    meanStandardErrorMs: rng.next() < 0.1 ? 0 : rng.next() * 50,
    batches,
  };
}

function randomSettings(rng: Rng): EarlyStopSettings {
  return {
    minSeconds: rng.next() * 3,
    minRequests: rng.int(2, 50),
    margin: rng.next() * 0.3,
    confidence: 0.9 + rng.next() * 0.099,
  };
}

function lowerBound(progress: WindowProgress, settings: EarlyStopSettings): number {
  return progress.meanMs - tQuantile(settings.confidence, progress.batches - 1) * progress.meanStandardErrorMs;
}

describe('early stopping of hopeless trials', () => {
  test('defaults are the documented ones', () => {
    assert.deepEqual(EARLY_STOP_DEFAULTS, { minSeconds: 2, minRequests: 10, margin: 0.1, confidence: 0.99 });
    assert.equal(EARLY_STOP_CHECK_EVERY_S, 0.5);
  });

  test('never stops a trial whose lower bound is at or below incumbent × (1 + margin)', () => {
    const rng = createRng('early-stop/never-below');
    for (let i = 0; i < 5000; i += 1) {
      const settings = i % 2 === 0 ? EARLY_STOP_DEFAULTS : randomSettings(rng);
      const progress = randomEligible(rng, settings);
      // An incumbent placed so that the threshold is at or above the lower bound (up to 3× above it).
      const threshold = Math.max(0, lowerBound(progress, settings)) * (1 + rng.next() * 2) + 1e-9;
      const incumbentMs = threshold / (1 + settings.margin);
      assert.equal(hopeless(progress, incumbentMs, settings), false, JSON.stringify({ progress, incumbentMs, settings }));
    }
  });

  test('stops exactly when the lower bound clears the threshold, once past every minimum', () => {
    const rng = createRng('early-stop/above');
    const outcomes = { stopped: 0, kept: 0 };
    for (let i = 0; i < 5000; i += 1) {
      const settings = i % 2 === 0 ? EARLY_STOP_DEFAULTS : randomSettings(rng);
      const progress = randomEligible(rng, settings);
      const incumbentMs = 0.5 + rng.next() * 600;
      const expected = lowerBound(progress, settings) > incumbentMs * (1 + settings.margin);
      assert.equal(hopeless(progress, incumbentMs, settings), expected, JSON.stringify({ progress, incumbentMs, settings }));
      outcomes[expected ? 'stopped' : 'kept'] += 1;
    }
    assert.ok(outcomes.stopped > 500 && outcomes.kept > 500, JSON.stringify(outcomes)); // both sides exercised
  });

  test('a lower bound exactly on the threshold does not stop', () => {
    const onThreshold = INCUMBENT_MS * (1 + EARLY_STOP_DEFAULTS.margin);
    assert.equal(hopeless(eligible(onThreshold, 0), INCUMBENT_MS), false);
    assert.equal(hopeless(eligible(onThreshold * (1 + 1e-9), 0), INCUMBENT_MS), true);
    // A mean well above the threshold whose interval still reaches down to it is not stopped either.
    const reachingDown = eligible(30, ((30 - onThreshold) / tQuantile(0.99, 11)) * (1 + 1e-9));
    assert.equal(hopeless(reachingDown, INCUMBENT_MS), false);
  });

  test('without an incumbent never stops', () => {
    const rng = createRng('early-stop/no-incumbent');
    for (let i = 0; i < 2000; i += 1) {
      const progress = { ...randomEligible(rng, EARLY_STOP_DEFAULTS), meanMs: 1e6, meanStandardErrorMs: 0 };
      assert.equal(hopeless(progress, undefined), false);
    }
  });

  test('stops a clearly worse trial once minSeconds and minRequests are reached, and not before', () => {
    const clearlyWorse = eligible(100, 1); // five times the incumbent, tight interval
    assert.equal(hopeless(clearlyWorse, INCUMBENT_MS), true);
    assert.equal(hopeless({ ...clearlyWorse, elapsedS: 1.999 }, INCUMBENT_MS), false);
    assert.equal(hopeless({ ...clearlyWorse, elapsedS: 2 }, INCUMBENT_MS), true);
    assert.equal(hopeless({ ...clearlyWorse, completed: 9, batches: 9 }, INCUMBENT_MS), false);
    assert.equal(hopeless({ ...clearlyWorse, completed: 10, batches: 10 }, INCUMBENT_MS), true);
    assert.equal(hopeless({ ...clearlyWorse, batches: 1, meanStandardErrorMs: Number.NaN }, INCUMBENT_MS), false);
    assert.equal(hopeless({ ...clearlyWorse, meanStandardErrorMs: Number.NaN }, INCUMBENT_MS), false);
    const stricter = { ...EARLY_STOP_DEFAULTS, minSeconds: 5, minRequests: 500 };
    assert.equal(hopeless(clearlyWorse, INCUMBENT_MS, stricter), false);
    assert.equal(hopeless({ ...clearlyWorse, elapsedS: 5, completed: 500 }, INCUMBENT_MS, stricter), true);
  });

  test('gives a fixed first stopping slice on a recorded sequence', () => {
    // A trial about 25% slower than a 20 ms incumbent, looked at every 0.5 s: the first looks fall before the
    // minimums, then the interval narrows until its lower bound clears 22 ms.
    const slices: WindowProgress[] = [
      { elapsedS: 0.5, completed: 4, errors: 0, meanMs: 31.2, meanStandardErrorMs: 3.1, batches: 4 },
      { elapsedS: 1, completed: 9, errors: 0, meanMs: 30.4, meanStandardErrorMs: 1.9, batches: 9 },
      { elapsedS: 1.5, completed: 14, errors: 1, meanMs: 27.9, meanStandardErrorMs: 1.6, batches: 14 },
      { elapsedS: 2, completed: 19, errors: 1, meanMs: 26.0, meanStandardErrorMs: 1.8, batches: 19 }, // 21.41 ms
      { elapsedS: 2.5, completed: 24, errors: 1, meanMs: 25.5, meanStandardErrorMs: 1.3, batches: 12 }, // 21.97 ms
      { elapsedS: 3, completed: 29, errors: 1, meanMs: 25.2, meanStandardErrorMs: 0.9, batches: 14 }, // 22.82 ms
      { elapsedS: 3.5, completed: 34, errors: 2, meanMs: 25.1, meanStandardErrorMs: 0.8, batches: 17 },
    ];
    const firstStop = (): number => slices.findIndex((slice) => hopeless(slice, INCUMBENT_MS));
    assert.equal(firstStop(), 5);
    assert.equal(firstStop(), 5);
    assert.equal(slices.findIndex((slice) => hopeless(slice, 24)), -1); // a slower incumbent: the trial may win
  });
});
