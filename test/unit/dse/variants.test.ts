import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { variantPlan } from '../../../src/dse/variants/plan.ts';
import { variantRows, variantTableLines } from '../../../src/dse/variants/table.ts';
import { someParams } from '../storage/fixtures.ts';
import { studyWith } from '../report/fixtures.ts';

const request = { model: 'bert', concurrency: 8, budget: 10, strategy: 'bo', seed: 1, objective: 'mean' as const };

describe('variant plan', () => {
  test('one study per precision with the precision pinned, named after the plain study', () => {
    assert.deepEqual(variantPlan({ ...request, precisions: ['fp32', 'int8', 'fp32'], graphLevels: [] }), [
      { label: 'fp32', pins: { precision: 'fp32' }, studyId: 'bert-bo-c8-b10-s1-fp32' },
      { label: 'int8', pins: { precision: 'int8' }, studyId: 'bert-bo-c8-b10-s1-int8' },
    ]);
  });

  test('graph levels multiply the variants and are pinned too', () => {
    const plan = variantPlan({ ...request, precisions: ['int8'], graphLevels: ['disabled', 'all'] });
    assert.deepEqual(plan.map((v) => [v.label, v.pins, v.studyId]), [
      ['int8/disabled', { precision: 'int8', graph_optimization_level: 'disabled' }, 'bert-bo-c8-b10-s1-int8-disabled'],
      ['int8/all', { precision: 'int8', graph_optimization_level: 'all' }, 'bert-bo-c8-b10-s1-int8-all'],
    ]);
  });
});

describe('variant table', () => {
  const [fp32, int8] = variantPlan({ ...request, precisions: ['fp32', 'int8'], graphLevels: [] });
  const run = (id: string, precision: string, rps: number[]) =>
    studyWith({ id }, rps.map((throughputRps, i) => ({ meanMs: 100 - i * 10, params: { ...someParams, precision }, overrides: { throughputRps, p99Ms: 200 - i, usdPerMillionRequests: 50 / (i + 1) } })));
  const fidelity = { measure: 'top-1 agreement' as const, agreement: 0.96875, exactMatches: 31, instances: 32 };
  const rows = variantRows([
    { variant: fp32!, entry: run('f', 'fp32', [10, 20]), sizeBytes: 438_000_000, fidelity: { ...fidelity, agreement: 1, exactMatches: 32 } },
    { variant: int8!, entry: run('i', 'int8', [15, 25, 33]), sizeBytes: 110_500_000, fidelity },
  ]);

  test('each variant at its best configuration, throughput relative to fp32', () => {
    assert.deepEqual(rows.map((r) => [r.label, r.bestTrial, r.meanMs, r.p99Ms, r.throughputRps, r.usdPerMillion, r.sizeMb]), [
      ['fp32', 1, 90, 199, 20, 25, 438],
      ['int8', 2, 80, 198, 33, 50 / 3, 110.5],
    ]);
    assert.deepEqual(rows.map((r) => r.throughputVsFp32), [1, 1.65]);
  });

  test('as a text table with fidelity and the best configurations', () => {
    const lines = variantTableLines(rows);
    assert.match(lines[0]!, /^variant\s+size MB\s+best #\s+mean ms\s+p99 ms\s+req\/s\s+req\/s vs fp32\s+USD\/M req\s+fidelity vs fp32$/);
    assert.match(lines[2]!, /^int8\s+111\s+2\s+80\s+198\s+33\s+1\.65×\s+16\.7\s+96\.9% top-1 agreement \(31\/32 exact\)$/);
    assert.match(lines.at(-1)!, /^int8: replicas=2 .*precision=int8$/);
  });

  test("a variant's disagreements are explained by fp32's margins on them", () => {
    const [row] = variantRows([{ variant: int8!, entry: run('i', 'int8', [15]), fidelity: { ...fidelity, margins: { differ: 0.0066, agree: 0.0418 } } }]);
    const lines = variantTableLines([row!]);
    assert.deepEqual(lines.slice(-2), ['Disagreements:', "int8: where it disagrees with fp32, fp32's top label led by a median 0.7% of its score range (4.2% where they agree)"]);
  });

  test('a variant without a complete trial or fidelity says so', () => {
    const [row] = variantRows([{ variant: int8!, entry: studyWith({ id: 'x' }, [{ failure: 'oom_killed' }]), fidelityNote: 'no fp32 model to compare with' }]);
    assert.equal(row?.bestTrial, undefined);
    const lines = variantTableLines([row!]);
    assert.match(lines[1]!, /no fp32 model to compare with$/);
    assert.equal(lines.at(-1), 'int8: no trial completed');
  });
});
