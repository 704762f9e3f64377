import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crossModelAnalysis } from '../../../src/dse/cross-model/analysis.ts';
import { rankAgreement, sharedParameterNames } from '../../../src/dse/cross-model/rank-agreement.ts';
import { fitStudyModel, importanceFromLengthScales } from '../../../src/dse/cross-model/study-model.ts';
import { plannedTransfers, transferPenalty, transferStudyId } from '../../../src/dse/cross-model/transfer.ts';
import { crossModelHtml, crossModelLines } from '../../../src/dse/cross-model/view.ts';
import { parseSearchSpace } from '../../../src/space/parse.ts';
import type { Params } from '../../../src/space/params.ts';
import type { SearchSpace } from '../../../src/space/space.ts';
import type { StoredSpace } from '../../../src/study/study-space.ts';
import { studyWith } from '../report/fixtures.ts';

function space(): SearchSpace {
  const parsed = parseSearchSpace(
    {
      parameters: [
        { name: 'replicas', kind: 'int', low: 1, high: 4, default: 1 },
        { name: 'cpus', kind: 'float', low: 0.5, high: 2, default: 1 },
        { name: 'mode', kind: 'categorical', choices: ['a', 'b', 'c'], default: 'a' },
      ],
    },
    'test-space.json',
  );
  assert.ok(parsed.ok);
  return parsed.value;
}

/** Equal up to floating-point rounding. */
const near = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

const config = (replicas: number, cpus = 1, mode = 'a'): Params => ({ replicas, cpus, mode });
/** A study whose trial i ran configs[i] with mean latency latencies[i]. */
const studyOf = (id: string, model: string, configs: Params[], latencies: number[]) =>
  studyWith({ id, model }, latencies.map((meanMs, i) => ({ meanMs, params: configs[i]! })));

describe('parameter importance from GP length scales', () => {
  test('importance ∝ 1/ℓ, normalised; a categorical takes its most sensitive coordinate', () => {
    // Coordinates: replicas, cpus, mode=a, mode=b, mode=c.
    const importance = importanceFromLengthScales(space(), [0.5, 2, 4, 1, 8]);
    assert.deepEqual(importance.map((i) => i.parameter), ['replicas', 'mode', 'cpus']);
    const total = 1 / 0.5 + 1 / 2 + 1 / 1;
    assert.deepEqual(importance.map((i) => i.importance), [2 / total, 1 / total, 0.5 / total]);
    assert.deepEqual(importance.map((i) => i.lengthScale), [0.5, 1, 2]);
  });

  test('length scales that do not fit the space are refused', () => {
    assert.throws(() => importanceFromLengthScales(space(), [1, 1]), RangeError);
    assert.throws(() => importanceFromLengthScales(space(), [1, 1, 1, 1, 1, 1]), RangeError);
  });

  test('a GP fitted to a study where only replicas matters finds replicas most important', () => {
    const configs = [config(1, 0.5, 'a'), config(2, 2, 'b'), config(3, 1, 'c'), config(4, 1.5, 'a'), config(1, 2, 'c'), config(2, 0.5, 'a'), config(3, 2, 'b'), config(4, 0.5, 'c')];
    const entry = studyOf('s', 'gan', configs, configs.map((c) => 100 / Number(c.replicas)));
    const model = fitStudyModel(space(), entry.trials, 'mean')!;
    assert.equal(importanceFromLengthScales(model.space, model.lengthScales)[0]?.parameter, 'replicas');
  });
});

describe('rank agreement and transfer between two studies', () => {
  const shared = [config(1), config(2), config(3), config(4)];

  test('Spearman correlation over the configurations both ran, matched on shared parameters', () => {
    const a = studyOf('a', 'bert', shared, [40, 30, 20, 10]);
    const b = studyOf('b', 'resnet', [...shared].reverse(), [5, 6, 7, 8]); // b ran them in the other order: same ranking
    assert.equal(rankAgreement(a, b, 'mean').configurations, 4);
    near(rankAgreement(a, b, 'mean').spearman, 1);
    const opposite = studyOf('c', 'resnet', shared, [1, 2, 3, 4]);
    near(rankAgreement(a, opposite, 'mean').spearman, -1);
  });

  test('a parameter pinned to different values in the two studies is left out of the matching', () => {
    const pinned = (id: string, precision: string, latencies: number[]) =>
      studyWith(
        { id, space: { origin: 'space.json', document: {}, pinned: { precision } } },
        latencies.map((meanMs, i) => ({ meanMs, params: { ...shared[i]!, precision } })),
      );
    const fp32 = pinned('fp32', 'fp32', [40, 30, 20, 10]);
    const int8 = pinned('int8', 'int8', [20, 15, 10, 5]);
    assert.deepEqual(sharedParameterNames(fp32, int8), ['cpus', 'mode', 'replicas']);
    assert.equal(rankAgreement(fp32, int8, 'mean').configurations, 4);
    const transfer = transferPenalty(fp32, int8, 'mean')!;
    assert.deepEqual(transfer.configuration, config(4)); // without precision=fp32, which the int8 study cannot take
    assert.equal(transfer.source, 'measured');
  });

  test('fewer than three shared configurations: no correlation, but the count', () => {
    const a = studyOf('a', 'bert', [config(1), config(2)], [2, 1]);
    const b = studyOf('b', 'resnet', [config(1), config(3)], [2, 1]);
    assert.deepEqual(rankAgreement(a, b, 'mean'), { configurations: 1 });
  });

  test("the penalty of using the source's best on the target, measured when the target ran it", () => {
    const source = studyOf('a', 'bert', shared, [40, 30, 20, 10]); // best: replicas 4
    const target = studyOf('b', 'resnet', shared, [8, 5, 6, 10]); // best: replicas 2 at 5 ms; replicas 4 gives 10
    const transfer = transferPenalty(source, target, 'mean')!;
    assert.equal(transfer.source, 'measured');
    assert.equal(transfer.transferredValue, 10);
    assert.equal(transfer.penaltyPercent, 100);
  });

  test("otherwise the target's posterior mean stands in, and the result says so", () => {
    const source = studyOf('a', 'bert', [config(4, 2)], [10]);
    const target = studyOf('b', 'resnet', shared, [8, 5, 6, 10]);
    const asked: Params[] = [];
    const transfer = transferPenalty(source, target, 'mean', (configs) => (asked.push(...configs), [7.5]))!;
    assert.deepEqual(asked, [config(4, 2)]);
    assert.equal(transfer.source, 'posterior');
    assert.equal(transfer.penaltyPercent, 50);
    assert.equal(transferPenalty(source, target, 'mean'), undefined); // nothing measured, no model: no guess
  });
});

describe('cross-model analysis', () => {
  const configs = [config(1, 0.5), config(2, 1), config(3, 1.5), config(4, 2), config(2, 2, 'b'), config(3, 0.5, 'c')];
  const bert = studyOf('bert-study', 'bert', configs, [50, 30, 22, 18, 31, 24]);
  const resnet = studyOf('resnet-study', 'resnet', configs.slice(0, 4), [90, 60, 40, 45]);
  const tiny = studyOf('gan-study', 'gan', [config(1)], [3]);

  test('every pair gets a rank agreement and transfers both ways; every study its importance or why not', () => {
    const analysis = crossModelAnalysis([bert, resnet, tiny], { spaceOf: () => space() });
    assert.deepEqual(analysis.pairs.map((p) => [p.a, p.b]), [['bert-study', 'resnet-study'], ['bert-study', 'gan-study'], ['resnet-study', 'gan-study']]);
    const [bertResnet] = analysis.pairs;
    assert.equal(bertResnet?.rank.configurations, 4);
    near(bertResnet?.rank.spearman, 0.8);
    assert.deepEqual(bertResnet?.transfers.map((t) => [t.from, t.source]), [['bert-study', 'measured'], ['resnet-study', 'measured']]);
    near(bertResnet?.transfers[0]?.penaltyPercent, 12.5); // bert's best (4 replicas) gives resnet 45 ms against its 40
    near(bertResnet?.transfers[1]?.penaltyPercent, (22 / 18 - 1) * 100); // resnet's best (3 replicas) gives bert 22 ms against 18
    assert.equal(analysis.importance[0]?.importance?.length, 3);
    assert.equal(analysis.importance[2]?.note, 'fewer than 3 complete trials');
  });

  test('an unreadable space leaves importance out and says so', () => {
    const analysis = crossModelAnalysis([bert, resnet], { spaceOf: () => undefined });
    assert.equal(analysis.importance[0]?.note, 'its search space cannot be read back');
  });

  test('text lines and an HTML fragment for the report', () => {
    const analysis = crossModelAnalysis([bert, resnet], { spaceOf: () => space() });
    const lines = crossModelLines(analysis);
    assert.equal(lines[0], 'bert-study vs resnet-study:');
    assert.match(lines[1]!, /Spearman rank correlation 0\.80 over 4 configurations/);
    assert.match(lines[2]!, /best of bert-study used for resnet-study: 45 ms against its own best 40 ms, penalty 12\.5% \(measured on the target\)/);
    const html = crossModelHtml(analysis);
    assert.match(html, /^<section><h2>Across models<\/h2>/);
    assert.match(html, /<h3>Parameter importance: bert-study<\/h3><table>/);
  });
});

const fp32Config = (replicas: number, cpus = 1): Params => ({ replicas, cpus, precision: 'fp32' });
const stored = (pinned: Params = {}): StoredSpace => ({ origin: 'search-spaces/default.json', document: {}, pinned });
const storedStudyOf = (id: string, model: string, configs: Params[], latencies: number[], pinned: Params = {}) =>
  studyWith({ id, model, space: stored(pinned) }, latencies.map((meanMs, i) => ({ meanMs, params: configs[i]! })));

describe('transfer studies', () => {
  const bert = storedStudyOf('bert-s', 'bert', [fp32Config(1), fp32Config(2, 2), fp32Config(3)], [50, 20, 30]); // best: 2 replicas × 2 CPUs
  const resnet = storedStudyOf('resnet-s', 'resnet', [fp32Config(1), fp32Config(4, 0.5)], [90, 40], { precision: 'fp32' }); // best: 4 × 0.5

  test("one per ordered pair of models: the target's study with the source's best pinned, one trial", () => {
    const plans = plannedTransfers([bert, resnet, storedStudyOf('bert-other', 'bert', [fp32Config(1)], [10])], 'mean');
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
    const failed = studyWith({ id: 'gan-s', model: 'gan', space: stored() }, [{ failure: 'oom_killed', params: fp32Config(1) }]);
    const unreadable = studyWith({ id: 'old-s', model: 'old', space: { not: 'a stored space' } }, [{ meanMs: 5, params: fp32Config(1) }]);
    const plans = plannedTransfers([failed, bert, unreadable], 'mean');
    assert.deepEqual(plans.filter((p) => p.note).map((p) => [p.source, p.target, p.note]), [
      ['gan-s', 'bert-s', 'gan-s has no complete trial to transfer'],
      ['gan-s', 'old-s', 'gan-s has no complete trial to transfer'],
      ['bert-s', 'old-s', 'old-s has no search space this version can read'],
    ]);
  });

  test("a transfer study's trial makes the penalty measured, in the analysis too", () => {
    const measured = studyWith({ id: 'resnet-s-with-best-of-bert-s', model: 'resnet' }, [{ meanMs: 60, params: fp32Config(2, 2) }]).trials;
    const transfer = transferPenalty(bert, resnet, 'mean', () => [999], measured)!;
    assert.deepEqual([transfer.source, transfer.transferredValue, transfer.penaltyPercent], ['measured', 60, 50]);
    const analysis = crossModelAnalysis([bert, resnet], { spaceOf: () => undefined, transferTrials: (from, to) => (from === 'bert-s' && to === 'resnet-s' ? measured : []) });
    assert.deepEqual(analysis.pairs[0]?.transfers.map((t) => [t.from, t.source, t.transferredValue]), [['bert-s', 'measured', 60]]);
  });
});
