import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crossModelAnalysis } from '../../../src/dse/cross-model.ts';
import { plannedTransfers, transferStudyId } from '../../../src/dse/transfer-plan.ts';
import { transferPenalty } from '../../../src/dse/transfer.ts';
import type { Params } from '../../../src/space/params.ts';
import type { StoredSpace } from '../../../src/study/study-space.ts';
import { studyWith } from '../report/fixtures.ts';

const config = (replicas: number, cpus = 1): Params => ({ replicas, cpus, precision: 'fp32' });
const stored = (pinned: Params = {}): StoredSpace => ({ origin: 'search-spaces/default.json', document: {}, pinned });
const studyOf = (id: string, model: string, configs: Params[], latencies: number[], pinned: Params = {}) =>
  studyWith({ id, model, space: stored(pinned) }, latencies.map((meanMs, i) => ({ meanMs, params: configs[i]! })));

describe('transfer studies', () => {
  const bert = studyOf('bert-s', 'bert', [config(1), config(2, 2), config(3)], [50, 20, 30]); // best: 2 replicas × 2 CPUs
  const resnet = studyOf('resnet-s', 'resnet', [config(1), config(4, 0.5)], [90, 40], { precision: 'fp32' }); // best: 4 × 0.5

  test("one per ordered pair of models: the target's study with the source's best pinned, one trial", () => {
    const plans = plannedTransfers([bert, resnet, studyOf('bert-other', 'bert', [config(1)], [10])], 'mean');
    assert.deepEqual(plans.map((p) => [p.source, p.target]), [['bert-s', 'resnet-s'], ['resnet-s', 'bert-s'], ['resnet-s', 'bert-other'], ['bert-other', 'resnet-s']]);
    const [bertOnResnet] = plans;
    assert.equal(bertOnResnet?.study?.id, 'resnet-s-with-best-of-bert-s');
    assert.equal(bertOnResnet?.study?.id, transferStudyId('bert-s', 'resnet-s'));
    assert.equal(bertOnResnet?.study?.budget, 1);
    assert.equal(bertOnResnet?.study?.model, 'resnet');
    assert.equal(bertOnResnet?.study?.concurrency, resnet.study.concurrency);
    assert.deepEqual(bertOnResnet?.study?.space, stored({ precision: 'fp32', cpus: 2, replicas: 2 }));
  });

  test('a source without a complete trial, or a target without a readable space, gets a note instead', () => {
    const failed = studyWith({ id: 'gan-s', model: 'gan', space: stored() }, [{ failure: 'oom_killed', params: config(1) }]);
    const unreadable = studyWith({ id: 'old-s', model: 'old', space: { not: 'a stored space' } }, [{ meanMs: 5, params: config(1) }]);
    const plans = plannedTransfers([failed, bert, unreadable], 'mean');
    assert.deepEqual(plans.filter((p) => p.note).map((p) => [p.source, p.target, p.note]), [
      ['gan-s', 'bert-s', 'gan-s has no complete trial to transfer'],
      ['gan-s', 'old-s', 'gan-s has no complete trial to transfer'],
      ['bert-s', 'old-s', 'old-s has no search space this version can read'],
    ]);
  });

  test("a transfer study's trial makes the penalty measured, in the analysis too", () => {
    const measured = studyWith({ id: 'resnet-s-with-best-of-bert-s', model: 'resnet' }, [{ meanMs: 60, params: config(2, 2) }]).trials;
    const transfer = transferPenalty(bert, resnet, 'mean', () => [999], measured)!;
    assert.deepEqual([transfer.source, transfer.transferredValue, transfer.penaltyPercent], ['measured', 60, 50]);
    const analysis = crossModelAnalysis([bert, resnet], { spaceOf: () => undefined, transferTrials: (from, to) => (from === 'bert-s' && to === 'resnet-s' ? measured : []) });
    assert.deepEqual(analysis.pairs[0]?.transfers.map((t) => [t.from, t.source, t.transferredValue]), [['bert-s', 'measured', 60]]);
  });
});
