/** The replay surrogate answers what the study measured, fails where it failed, and is deterministic per file. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../src/random/rng.ts';
import { replaySpace } from '../../../src/replay/replay-space.ts';
import { fitSurrogate } from '../../../src/replay/surrogate.ts';
import type { Params } from '../../../src/space/params.ts';
import { sampleFeasible } from '../../../src/space/space.ts';
import { fails, latency, syntheticReplay } from './fixtures.ts';

const replay = syntheticReplay(40);
const rebuilt = replaySpace(replay, 'synthetic.replay.json');
assert.ok(rebuilt.ok);
const space = rebuilt.value;
const surrogate = fitSurrogate(replay, space);
const complete = replay.trials.flatMap((t) => (t.state === 'complete' ? [t] : []));
const failed = replay.trials.flatMap((t) => (t.state === 'failed' ? [t] : []));

describe('replay surrogate', () => {
  test('answers every measured complete point with its measured value, within 3 standard errors and the fitted residual', () => {
    assert.ok(surrogate.logNoiseSd > 0 && surrogate.logNoiseSd < 0.05, `noise sd ${surrogate.logNoiseSd}`);
    for (const trial of complete) {
      const answered = surrogate.truth(trial.params);
      assert.ok(answered !== undefined, `trial ${trial.number} answered a failure`);
      const standardError = trial.measured!.meanCi95Ms / 1.96 / trial.value;
      const off = Math.abs(Math.log(answered / trial.value));
      assert.ok(off <= 3 * standardError + 3 * surrogate.logNoiseSd, `trial ${trial.number}: ${answered} against ${trial.value}`);
    }
  });

  test('learns the landscape between the measured points', () => {
    const rng = createRng('between');
    const errors: number[] = [];
    while (errors.length < 300) {
      const params = sampleFeasible(space, rng) as Params;
      const answered = surrogate.truth(params);
      if (answered !== undefined && !fails(params)) errors.push(Math.abs(Math.log(answered / latency(params))));
    }
    errors.sort((a, b) => a - b);
    assert.ok(errors[150]! < 0.05, `median error ${errors[150]}`);
  });

  test('fails at every measured failed point, with its failure kind', () => {
    assert.ok(failed.length > 0, 'the fixture has failures');
    for (const trial of failed) {
      assert.equal(surrogate.truth(trial.params), undefined, `trial ${trial.number}`);
      assert.deepEqual(surrogate.measure(trial.params, createRng(1)), { failed: trial.failureKind });
    }
  });

  test('measurements are seeded: the same stream gives the same values, lognormal about the truth at the fitted level', () => {
    const params = complete[3]!.params;
    const draws = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 400 }, () => surrogate.measure(params, rng) as number);
    };
    assert.deepEqual(draws(7), draws(7));
    assert.notDeepEqual(draws(7), draws(8));
    const logs = draws(7).map((value) => Math.log(value / surrogate.truth(params)!));
    const sd = Math.sqrt(logs.reduce((sum, x) => sum + x * x, 0) / logs.length);
    assert.ok(Math.abs(sd - surrogate.logNoiseSd) < 0.15 * surrogate.logNoiseSd, `sd ${sd} against ${surrogate.logNoiseSd}`);
  });

  test('the optimum is a configuration it answers, no higher than any measured point, and the same for the same file', () => {
    const { value, params } = surrogate.optimum;
    assert.equal(surrogate.truth(params), value);
    for (const trial of complete) assert.ok(value <= surrogate.truth(trial.params)!, `trial ${trial.number}`);
    assert.ok(value < Math.min(...complete.map((t) => t.value)) * 1.05);
    assert.deepEqual(fitSurrogate(syntheticReplay(40), space).optimum, surrogate.optimum);
  });
});
