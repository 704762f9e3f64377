import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paretoListings } from '../../../src/dse/pareto-listing.ts';
import { paretoHtml, paretoTableLines } from '../../../src/dse/pareto-table.ts';
import { measuredConfigs, sloSaving } from '../../../src/dse/slo.ts';
import { sloLines } from '../../../src/dse/slo-lines.ts';
import { MemoryStorage } from '../../../src/storage/memory.ts';
import { aStudy, someMetrics, someParams } from '../storage/fixtures.ts';
import { studyWith } from '../report/fixtures.ts';

const trial = (meanMs: number, p99Ms: number, usd: number, joules: number, replicas: number) => ({
  meanMs,
  params: { ...someParams, replicas },
  overrides: { p99Ms, usdPerMillionRequests: usd, joulesPerRequest: joules },
});

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

describe('Pareto-optimal configurations listed', () => {
  const c8 = studyWith({ id: 'bert-c8', model: 'bert', concurrency: 8 }, [trial(50, 120, 10, 1, 1), trial(20, 60, 40, 2, 4), trial(35, 150, 6, 1.5, 2), trial(60, 300, 12, 3, 3)]);
  const c1 = studyWith({ id: 'bert-c1', model: 'bert', concurrency: 1 }, [trial(5, 9, 1, 1, 1)]);

  test('per model and concurrency, for cost and energy, fastest first; dominated trials are left out', () => {
    const listings = paretoListings([c8, c1]);
    assert.deepEqual(listings.map((l) => [l.concurrency, l.axis]), [[8, 'cost'], [8, 'energy'], [1, 'cost'], [1, 'energy']]);
    assert.deepEqual(listings[0]!.front.map((e) => [e.trial, e.latencyMs, e.value]), [[1, 20, 40], [2, 35, 6]]);
    assert.deepEqual(listings[1]!.front.map((e) => [e.trial, e.value]), [[1, 2], [2, 1.5], [0, 1]]);
  });

  test('p99 latency can replace the mean', () => {
    const [cost] = paretoListings([c8], 'p99', ['cost']);
    assert.deepEqual(cost!.front.map((e) => [e.trial, e.latencyMs]), [[1, 60], [0, 120], [2, 150]]);
  });

  test('as text and as an HTML fragment naming each configuration', () => {
    const listings = paretoListings([c8], 'mean', ['cost']);
    const lines = paretoTableLines(listings);
    assert.equal(lines[0], 'Pareto front, mean latency against cost: bert at concurrency 8');
    assert.match(lines[2]!, /^bert-c8\s+#1\s+20\s+40\s+replicas=4/);
    const html = paretoHtml(listings);
    assert.match(html, /<h3>Pareto front, mean latency against cost: bert at concurrency 8<\/h3><table>/);
    assert.equal(html.match(/<tr>/g)?.length, 3);
    assert.match(html, /<td class="num">6<\/td>/);
  });
});
