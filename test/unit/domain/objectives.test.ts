import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metricValue, studyObjectives, trialValues } from '../../../src/domain/trials.ts';
import { parseObjectives } from '../../../src/domain/vocabulary.ts';
import { aStudy, someMetrics } from '../storage/fixtures.ts';

function problem(text: string): { code: string; message: string } {
  const parsed = parseObjectives(text);
  assert.ok(!parsed.ok, `"${text}" parsed`);
  assert.ok(!parsed.message.includes('\n'));
  return { code: parsed.code, message: parsed.message };
}

describe('objective lists', () => {
  test('one objective, or up to three in order, spaces allowed', () => {
    assert.deepEqual(parseObjectives('mean'), { ok: true, objectives: ['mean'] });
    assert.deepEqual(parseObjectives('mean,cost'), { ok: true, objectives: ['mean', 'cost'] });
    assert.deepEqual(parseObjectives(' p99 , energy,cost'), { ok: true, objectives: ['p99', 'energy', 'cost'] });
  });

  test('each problem has its code and a line that says what to do', () => {
    assert.deepEqual(problem('mean,mean'), { code: 'duplicate_objective', message: '"mean,mean" names mean twice: list each objective once, e.g. mean, or mean,cost for the latency–cost trade-off' });
    assert.equal(problem('mean,latency').code, 'unknown_objective');
    assert.match(problem('mean,latency').message, /unknown objective "latency" in "mean,latency": choose among mean, p99, cost, energy/);
    assert.match(problem('mean,,cost').message, /an empty objective in "mean,,cost"/);
    assert.equal(problem('').code, 'no_objective');
    assert.deepEqual(problem('mean,p99,cost,energy'), { code: 'too_many_objectives', message: '"mean,p99,cost,energy" lists 4 objectives: a study minimises one, or up to 3 at once' });
  });

  test('energy is joules per request; a trial has a value on each objective of a list', () => {
    const metrics = someMetrics({ joulesPerRequest: 0.3, meanMs: 12, usdPerMillionRequests: 4 });
    assert.equal(metricValue(metrics, 'energy'), 0.3);
    const trial = { studyId: 's', number: 0, state: 'complete' as const, params: {}, metrics, startedAt: '' };
    assert.deepEqual(trialValues(trial, ['mean', 'cost', 'energy']), [12, 4, 0.3]);
    assert.equal(trialValues({ ...trial, metrics: { ...metrics, usdPerMillionRequests: Number.NaN } }, ['mean', 'cost']), undefined);
    assert.equal(trialValues({ ...trial, state: 'failed' }, ['mean', 'cost']), undefined);
  });

  test("a study's objectives: the list when it minimises several, else its one objective", () => {
    assert.deepEqual(studyObjectives(aStudy()), ['mean']);
    assert.deepEqual(studyObjectives(aStudy({ objective: 'p99', objectives: ['p99', 'cost'] })), ['p99', 'cost']);
  });
});
