import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mean } from 'simple-statistics';
import { arrivalTimes } from '../../../src/load/arrivals.ts';
import { parseSchedule, patternSchedule, stepsSchedule } from '../../../src/load/load-patterns.ts';
import { uniformSource } from '../../../src/random/rng.ts';

describe('arrival times', () => {
  test('constant arrivals are evenly spaced within each phase', () => {
    const times = [...arrivalTimes([{ rateRps: 10, durationS: 1 }, { rateRps: 20, durationS: 0.5 }], 'constant', Math.random)];
    assert.equal(times.length, 20);
    assert.deepEqual(times.slice(0, 3).map((arrival) => arrival.atMs), [0, 100, 200]);
    assert.equal(times[10]?.atMs, 1000);
    assert.equal(times[10]?.phase, 1);
  });

  test('Poisson gaps average 1/rate and repeat for a seed', () => {
    const phases = [{ rateRps: 100, durationS: 50 }];
    const times = [...arrivalTimes(phases, 'poisson', uniformSource(11))].map((arrival) => arrival.atMs);
    const gaps = times.slice(1).map((at, index) => at - (times[index] ?? 0));
    assert.ok(Math.abs(mean(gaps) - 10) < 0.5, `mean gap ${mean(gaps)}`);
    const again = [...arrivalTimes(phases, 'poisson', uniformSource(11))].map((arrival) => arrival.atMs);
    assert.deepEqual(again, times);
  });

  test('a zero rate pauses', () => {
    const times = [...arrivalTimes([{ rateRps: 0, durationS: 1 }, { rateRps: 2, durationS: 1 }], 'constant', Math.random)];
    assert.deepEqual(times.map((arrival) => arrival.atMs), [1000, 1500]);
  });
});

describe('load patterns', () => {
  test('light, medium and high are shares of capacity', () => {
    assert.deepEqual(patternSchedule('high', 200, 30), [{ rateRps: 180, durationS: 30 }]);
    assert.ok(patternSchedule('light', 200, 30)[0]!.rateRps < patternSchedule('medium', 200, 30)[0]!.rateRps);
    assert.deepEqual(stepsSchedule(100, [0.5, 1], 10), [
      { rateRps: 50, durationS: 10 },
      { rateRps: 100, durationS: 10 },
    ]);
  });

  test('parses rate:seconds steps and names a bad one', () => {
    assert.deepEqual(parseSchedule('50:10, 100:5'), {
      ok: true,
      schedule: [
        { rateRps: 50, durationS: 10 },
        { rateRps: 100, durationS: 5 },
      ],
    });
    const bad = parseSchedule('50:10,fast');
    assert.equal(bad.ok ? '' : bad.error.code, 'bad_schedule');
    assert.match(bad.ok ? '' : bad.error.message, /"fast"/);
  });
});
