import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { measuredConfigs, sloLines, sloSaving } from '../../../src/dse/slo.ts';
import { MemoryStorage } from '../../../src/storage/memory.ts';
import { aStudy, someMetrics, someParams } from '../storage/fixtures.ts';
import { costedTrial as trial, studyWith } from '../report/fixtures.ts';

describe('SLO-constrained saving', () => {
  const study = studyWith({ id: 'bert-c8' }, [trial(50, 120, 10, 1, 1), trial(20, 60, 40, 2, 4), trial(35, 150, 6, 1, 2), trial(40, 300, 3, 1, 3)]);

  test('cheapest configuration within the SLO against the fastest, as a saving in percent', () => {
    const saving = sloSaving(measuredConfigs([study]), 200)!;
    assert.equal(saving.fastest.trial, 1);
    assert.equal(saving.cheapestFeasible?.trial, 2); // trial 3 is cheaper but its p99 of 300 ms misses the SLO
    assert.equal(saving.savingPercent, 85);
    assert.equal(saving.fastestMeetsSlo, true);
    assert.match(sloLines(saving).at(-1)!, /85\.0% cheaper/);
  });

  test('no configuration within the SLO: no saving, said in one line', () => {
    const saving = sloSaving(measuredConfigs([study]), 10)!;
    assert.equal(saving.cheapestFeasible, undefined);
    assert.equal(saving.fastestMeetsSlo, false);
    assert.match(sloLines(saving).at(-1)!, /no measured configuration meets p99 ≤ 10 ms/);
  });

  test('trials failed for missing the SLO still count as measurements; other failures do not', () => {
    const storage = new MemoryStorage();
    const record = aStudy({ id: 'cost-study', objective: 'cost', sloP99Ms: 100 });
    storage.createStudy(record);
    storage.startTrial(record.id, 0, someParams);
    storage.finishTrial(record.id, 0, { state: 'failed', failureKind: 'slo_violated', metrics: someMetrics({ meanMs: 5, p99Ms: 150 }) });
    storage.startTrial(record.id, 1, someParams);
    storage.finishTrial(record.id, 1, { state: 'failed', failureKind: 'request_errors', metrics: someMetrics({ meanMs: 1 }) });
    const configs = measuredConfigs([{ study: record, trials: storage.trials(record.id) }]);
    assert.deepEqual(configs.map((c) => c.trial), [0]);
    assert.equal(sloSaving([], 100), undefined);
  });
});
