/** A Study minimising several objectives: what its sampler sees, and that resuming it from storage changes nothing. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TrialRecord } from '../../../src/domain/records.ts';
import { isMeasuredAttempt } from '../../../src/domain/trials.ts';
import { createSampler } from '../../../src/samplers/factory.ts';
import type { Observation, Sampler } from '../../../src/samplers/sampler.ts';
import { parseSearchSpace, unwrapSpace, type Params } from '../../../src/space/index.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import { Study } from '../../../src/study/study.ts';
import { memoryTrials, storedTrials } from '../../../src/study/trial-store.ts';
import { aStudy, someMetrics } from '../storage/fixtures.ts';

const space = unwrapSpace(
  parseSearchSpace(
    {
      parameters: [
        { name: 'replicas', kind: 'int', low: 1, high: 4, default: 1 },
        { name: 'cpus', kind: 'float', low: 0.5, high: 2, step: 0.25, default: 1 },
        { name: 'batch', kind: 'pow2', low: 1, high: 16, default: 1 },
      ],
      constraints: ['replicas * cpus <= 4'],
    },
    'trade-off',
  ),
);
const OBJECTIVES = ['mean', 'cost'] as const;

/** More CPU is faster and dearer; batching helps both; too big a batch on one replica runs out of memory. */
function outcome(params: Params) {
  const [replicas, cpus, batch] = [params.replicas as number, params.cpus as number, params.batch as number];
  if (replicas === 1 && batch === 16) return { state: 'failed' as const, failureKind: 'oom_killed' as const, failureMessage: 'killed' };
  const meanMs = 100 / (replicas * cpus) ** 0.7 + 20 / batch;
  const metrics = someMetrics({ meanMs, usdPerMillionRequests: replicas * cpus * meanMs * 0.01 });
  return { state: 'complete' as const, metrics, objectiveValue: meanMs };
}

function run(study: Study, trials: number): TrialRecord[] {
  for (let i = 0; i < trials; i++) {
    const { number, params } = study.ask();
    study.tell(number, outcome(params));
  }
  return study.trials();
}

const measured = (trials: readonly TrialRecord[]) => trials.filter(isMeasuredAttempt).map((t) => t.params);

describe('Study minimising several objectives', () => {
  test('its sampler sees each trial’s values from its metrics, the primary one as the value', () => {
    const seen: Observation[][] = [];
    const recording: Sampler = { name: 'record', suggest: (s, history, rng) => (seen.push([...history]), createSampler('random').suggest(s, history, rng)) };
    const study = new Study({ space, sampler: recording, seed: 1, objectives: OBJECTIVES });
    const baseline = study.ask();
    study.tell(baseline.number, { state: 'complete', metrics: someMetrics({ meanMs: 40, usdPerMillionRequests: 3 }), objectiveValue: 40 });
    const second = study.ask();
    study.tell(second.number, { state: 'complete', metrics: someMetrics({ meanMs: 30, usdPerMillionRequests: Number.NaN }), objectiveValue: 30 });
    study.ask();
    assert.deepEqual(seen.at(-1)!.map(({ value, values, failed }) => ({ value, values, failed })), [
      { value: 40, values: [40, 3], failed: undefined },
      { value: undefined, values: undefined, failed: 'objective_not_finite' },
    ]);
  });

  test('resumed from storage after an interrupted and a stale trial, it proposes exactly what an uninterrupted one would', () => {
    // Three design points, then seven ParEGO proposals: four of them after the resume.
    const sampler = () => createSampler('bo', { budget: 10, seed: 5, initialTrials: 3, objectives: OBJECTIVES.length });
    const options = { space, seed: 5, objectives: OBJECTIVES };
    const uninterrupted = run(new Study({ ...options, sampler: sampler(), trials: memoryTrials() }), 10);

    const opened = SqliteStorage.open(':memory:');
    assert.ok(opened.ok);
    const storage = opened.storage;
    storage.createStudy(aStudy({ id: 'mo', objective: 'mean', objectives: [...OBJECTIVES] }));
    const first = new Study({ ...options, sampler: sampler(), trials: storedTrials(storage, 'mo') });
    run(first, 6);
    first.tell(first.ask().number, { state: 'interrupted', failureKind: 'interrupted', failureMessage: 'stopped by a signal' });
    first.tell(first.ask().number, { state: 'failed', failureKind: 'stale', failureMessage: 'left running' });
    const resumed = run(new Study({ ...options, sampler: sampler(), trials: storedTrials(storage, 'mo') }), 4);
    storage.close();

    assert.equal(resumed.length, 12, 'the two unmeasured rows stay');
    assert.deepEqual(measured(resumed), measured(uninterrupted));
  });
});
