import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StudyRecord, StudyTrials } from '../../../src/domain/records.ts';
import { studyTradeoff, studyTradeoffs, tradeoffLines } from '../../../src/dse/tradeoff.ts';
import { aStudy, someMetrics, someParams } from '../storage/fixtures.ts';

/** Complete trials as [mean ms, USD per million requests, joules per request]. */
function entry(overrides: Partial<StudyRecord>, values: [number, number, number][]): StudyTrials {
  const study = aStudy(overrides);
  const trials = values.map(([meanMs, usdPerMillionRequests, joulesPerRequest], number) => ({
    studyId: study.id, number, state: 'complete' as const, params: { ...someParams, replicas: number + 1 },
    metrics: someMetrics({ meanMs, usdPerMillionRequests, joulesPerRequest }), objectiveValue: meanMs, startedAt: '',
  }));
  return { study, trials };
}

const meanCost = { objective: 'mean' as const, objectives: ['mean' as const, 'cost' as const] };

describe('trade-off of a study', () => {
  test('a single-objective study has none', () => {
    assert.equal(studyTradeoff(entry({}, [[10, 1, 1]])), undefined);
  });

  test('studies drawn together share the reference point: 1.1 × the worst over all of them', () => {
    const small = entry({ id: 'a', ...meanCost }, [[10, 4, 0], [20, 2, 0]]);
    const wide = entry({ id: 'b', ...meanCost }, [[5, 10, 0], [40, 1, 0]]);
    const single = entry({ id: 'c' }, [[100, 100, 0]]);
    const [a, b, c] = studyTradeoffs([small, wide, single]);
    assert.deepEqual(a!.reference!.map((v) => +v.toFixed(9)), [44, 11]);
    assert.deepEqual(b!.reference, a!.reference);
    assert.equal(c, undefined);
    // Alone, a study takes its own reference (22, 4.4): a smaller box.
    assert.ok(studyTradeoff(small)!.hypervolume < a!.hypervolume);
  });

  test('three objectives: the front in three dimensions, no knee', () => {
    const tradeoff = studyTradeoff(entry({ objective: 'mean', objectives: ['mean', 'cost', 'energy'] }, [[10, 3, 1], [20, 1, 3], [30, 2, 2], [40, 4, 4]]))!;
    assert.deepEqual(tradeoff.front.map((t) => t.number), [0, 1, 2]);
    assert.equal(tradeoff.knee, undefined);
    assert.ok(tradeoff.hypervolume > 0);
    assert.match(tradeoffLines(tradeoff).join('\n'), /knee: defined for two objectives only/);
  });
});
