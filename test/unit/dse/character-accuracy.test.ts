/** Text recognizers' variants: 1 − CER against ground truth and against fp32, and how the variant table shows it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { characterScore, editDistance } from '../../../src/dse/variants/character-accuracy.ts';
import { accuracyOf, defaultFidelityInstances, fidelityInstances, fidelityOf } from '../../../src/dse/variants/fidelity.ts';
import { variantPlan } from '../../../src/dse/variants/plan.ts';
import { SYNTHETIC_FIDELITY_NOTE, variantRows, variantTableLines } from '../../../src/dse/variants/table.ts';
import { someParams } from '../storage/fixtures.ts';
import { studyWith } from '../report/fixtures.ts';

describe('character accuracy', () => {
  test('edit distance counts insertions, deletions and substitutions of code points', () => {
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('Open', '0pen'), 1);
    assert.equal(editDistance('¥12', '￥12'), 1);
    assert.equal(editDistance('a😀b', 'ab'), 1, 'an astral character is one character');
    assert.equal(editDistance('same', 'same'), 0);
  });

  test('1 − CER: errors summed over the lines ÷ the references\' characters, never below 0', () => {
    assert.deepEqual(characterScore(['abcd', 'xy'], ['abxd', 'xy']), { accuracy: 1 - 1 / 6, errors: 1, characters: 6, exactMatches: 1, lines: 2 });
    assert.equal(characterScore(['ab'], ['ab and a lot more']).accuracy, 0);
    assert.equal(characterScore(['abc'], ['']).accuracy, 0);
    assert.ok(Number.isNaN(characterScore([], []).accuracy));
    assert.throws(() => characterScore(['a'], []), /1 references/);
  });

  test("a variant's texts against fp32's (agreement) and against the truth (accuracy)", () => {
    const fp32 = { kind: 'texts' as const, texts: ['Total $5.00', 'Open 9:00'] };
    const int8 = { kind: 'texts' as const, texts: ['Total $5.00', '0pen 9:00'] };
    assert.deepEqual(fidelityOf(fp32, int8), { ok: true, fidelity: { measure: 'character agreement', agreement: 1 - 1 / 20, exactMatches: 1, instances: 2 } });
    assert.deepEqual(accuracyOf(int8, ['Total $5.00', 'Open 9:00']), { ok: true, accuracy: { measure: 'character accuracy', accuracy: 1 - 1 / 20, exactMatches: 1, instances: 2 } });
    assert.deepEqual(accuracyOf({ kind: 'labels', labels: [1] }, ['x']), { ok: false, note: 'cannot score 1 labels against 1 reference texts' });
    assert.equal(fidelityOf(fp32, { kind: 'labels', labels: [1, 2] }).ok, false);
  });

  test('ocr lines come with their text, and 200 of them by default', () => {
    assert.equal(defaultFidelityInstances('ocr'), 200);
    assert.equal(defaultFidelityInstances('gan'), 32);
    const made = fidelityInstances('ocr', 3, 9);
    assert.ok(made.ok);
    assert.equal(made.instances.length, 3);
    assert.equal(made.references?.length, 3);
    assert.ok(made.references!.every((text) => text.length >= 5));
    const images = fidelityInstances('gan', 3);
    assert.ok(images.ok && images.references === undefined, 'no ground truth for synthetic images');
  });
});

describe('the variant table of a text recognizer', () => {
  const [fp32, int8] = variantPlan({ model: 'ocr', concurrency: 8, budget: 4, strategy: 'bo', seed: 1, objective: 'mean', precisions: ['fp32', 'int8'], graphLevels: [] });
  const run = (id: string, precision: string) => studyWith({ id }, [{ meanMs: 40, params: { ...someParams, precision }, overrides: { throughputRps: 20, p99Ms: 90, usdPerMillionRequests: 3 } }]);
  const agreement = (share: number, exact: number) => ({ measure: 'character agreement' as const, agreement: share, exactMatches: exact, instances: 200 });
  const accuracy = (share: number, exact: number) => ({ measure: 'character accuracy' as const, accuracy: share, exactMatches: exact, instances: 200 });

  test('real weights: a column of accuracy against ground truth, and no synthetic caveat', () => {
    const rows = variantRows([
      { variant: fp32!, entry: run('f', 'fp32'), sizeBytes: 10_850_000, fidelity: agreement(1, 200), accuracy: accuracy(0.9957, 180), syntheticWeights: false },
      { variant: int8!, entry: run('i', 'int8'), sizeBytes: 2_880_000, fidelity: agreement(0.984, 146), accuracy: accuracy(0.9851, 148), syntheticWeights: false },
    ]);
    const lines = variantTableLines(rows);
    assert.match(lines[0]!, /fidelity vs fp32\s+accuracy vs ground truth$/);
    assert.match(lines[1]!, /^fp32\s.*100\.0% character agreement \(200\/200 exact\)\s+99\.6% character accuracy \(180\/200 exact\)$/);
    assert.match(lines[2]!, /^int8\s.*98\.4% character agreement \(146\/200 exact\)\s+98\.5% character accuracy \(148\/200 exact\)$/);
    assert.ok(!lines.join('\n').includes('fidelity cannot be judged'));
  });

  test('synthetic weights: no accuracy column, and the table says fidelity cannot be judged', () => {
    const fidelity = { measure: 'top-1 agreement' as const, agreement: 0.9, exactMatches: 29, instances: 32 };
    const lines = variantTableLines(variantRows([{ variant: int8!, entry: run('i', 'int8'), fidelity, syntheticWeights: true }]));
    assert.doesNotMatch(lines[0]!, /ground truth/);
    assert.ok(lines.includes(`Fidelity: ${SYNTHETIC_FIDELITY_NOTE}.`));
    assert.match(SYNTHETIC_FIDELITY_NOTE, /fidelity cannot be judged/);
  });

  test('an accuracy that could not be had says why', () => {
    const lines = variantTableLines(variantRows([{ variant: int8!, entry: run('i', 'int8'), accuracyNote: 'int8 model failed to load' }]));
    assert.match(lines[1]!, /int8 model failed to load$/);
  });
});
