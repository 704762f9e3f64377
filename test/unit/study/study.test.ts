import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSampler } from '../../../src/samplers/factory.ts';
import { defaults, parseSearchSpace, unwrapSpace, type Params } from '../../../src/space/index.ts';
import type { TrialRecord } from '../../../src/domain/records.ts';
import { isMeasuredAttempt } from '../../../src/domain/trials.ts';
import { Study } from '../../../src/study/study.ts';
import { memoryTrials } from '../../../src/study/trial-store.ts';

const space = unwrapSpace(
  parseSearchSpace(
    {
      parameters: [
        { name: 'x', kind: 'float', low: -2, high: 2, default: 1.5 },
        { name: 'n', kind: 'int', low: 0, high: 10, default: 3 },
        { name: 'c', kind: 'categorical', choices: ['a', 'b'] },
      ],
    },
    'study',
  ),
);
const objective = (p: Params) => (p['x'] as number) ** 2 + Math.abs((p['n'] as number) - 4) + (p['c'] === 'b' ? 0 : 1);

function runStudy(study: Study, trials: number): TrialRecord[] {
  for (let i = 0; i < trials; i++) {
    const { number, params } = study.ask();
    study.tell(number, objective(params));
  }
  return study.trials();
}

/** What was measured, in order: the configurations and their values, whatever the row numbers. */
const measured = (trials: readonly TrialRecord[]) => trials.filter(isMeasuredAttempt).map((t) => ({ params: t.params, value: t.objectiveValue }));

describe('Study (ask/tell)', () => {
  test('trial 0 is the baseline: every default', () => {
    const study = new Study({ space, sampler: createSampler('random'), seed: 1 });
    assert.deepEqual(study.ask(), { number: 0, params: defaults(space) });
    const noBaseline = new Study({ space, sampler: createSampler('random'), seed: 1, baselineFirst: false });
    assert.notDeepEqual(noBaseline.ask().params, defaults(space));
  });

  test('best() is the completed trial with the lowest value; failures and pending trials are ignored', () => {
    const study = new Study({ space, sampler: createSampler('random'), seed: 2 });
    const a = study.ask();
    const b = study.ask();
    const c = study.ask();
    study.ask(); // still pending
    study.tell(a.number, 5);
    study.tell(b.number, { failed: 'oom_killed' });
    study.tell(c.number, Number.NaN);
    assert.deepEqual(study.best(), { number: a.number, params: a.params, value: 5 });
  });

  test('telling an unknown trial or telling twice is an error with a code', () => {
    const study = new Study({ space, sampler: createSampler('random'), seed: 3 });
    const { number } = study.ask();
    study.tell(number, 1);
    assert.throws(() => study.tell(number, 2), { code: 'already_told' });
    assert.throws(() => study.tell(7, 2), { code: 'unknown_trial' });
  });

  test('a study resumed on its stored trials, after an interrupted and a stale trial, proposes exactly what an uninterrupted one would', () => {
    const sampler = () => createSampler('bo', { initialTrials: 3 });
    const uninterrupted = runStudy(new Study({ space, sampler: sampler(), seed: 4 }), 9);
    const trials = memoryTrials();
    const first = new Study({ space, sampler: sampler(), seed: 4, trials });
    runStudy(first, 6);
    // A signal during trial 6, then a process killed during trial 7: rows that never measured their configuration.
    first.tell(first.ask().number, { state: 'interrupted', failureKind: 'interrupted', failureMessage: 'stopped by a signal' });
    first.tell(first.ask().number, { state: 'failed', failureKind: 'stale', failureMessage: 'left running' });
    const resumed = runStudy(new Study({ space, sampler: sampler(), seed: 4, trials }), 3);
    assert.equal(resumed.length, 11, 'the two unmeasured rows stay, numbering contiguous');
    assert.deepEqual(measured(resumed), measured(uninterrupted));
  });

  test('optimizes a plain function', () => {
    const study = new Study({ space, sampler: createSampler('bo', { budget: 25 }), seed: 5 });
    runStudy(study, 25);
    assert.ok(study.best()!.value < 0.1, `best ${JSON.stringify(study.best())}`);
  });
});
