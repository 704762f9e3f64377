import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fidelityOf, tokenAgreement, top1Agreement, topMargin } from '../../../src/dse/variants/fidelity.ts';

describe('output fidelity', () => {
  test('top-1 agreement is the share of instances given the same label', () => {
    assert.equal(top1Agreement([1, 2, 3, 4], [1, 2, 0, 4]), 0.75);
    assert.ok(Number.isNaN(top1Agreement([], [])));
  });

  test('token agreement counts matching positions over the longer sequence, so early stops and run-ons cost', () => {
    assert.equal(tokenAgreement([[5, 6, 7, 0]], [[5, 6, 7, 0]]), 1);
    assert.equal(tokenAgreement([[5, 6, 7, 0]], [[5, 6]]), 0.5);
    assert.equal(tokenAgreement([[5, 6]], [[5, 6, 9, 9]]), 0.5);
    assert.equal(tokenAgreement([[1, 2], [3, 4, 5, 6]], [[1, 9], [3, 4, 5, 6]]), 5 / 6);
  });

  test('fidelity of labels and of token sequences, with exact matches counted', () => {
    const labels = fidelityOf({ kind: 'labels', labels: [1, 2, 3, 4] }, { kind: 'labels', labels: [1, 2, 3, 0] });
    assert.deepEqual(labels, { ok: true, fidelity: { measure: 'top-1 agreement', agreement: 0.75, exactMatches: 3, instances: 4 } });
    const tokens = fidelityOf({ kind: 'tokens', sequences: [[1, 2], [3]] }, { kind: 'tokens', sequences: [[1, 2], [4]] });
    assert.deepEqual(tokens, { ok: true, fidelity: { measure: 'token agreement', agreement: 2 / 3, exactMatches: 1, instances: 2 } });
  });

  test("a label's margin is its lead over the runner-up as a share of the score range", () => {
    assert.equal(topMargin([0.1, 0.9, 0.5]), 0.5);
    assert.equal(topMargin([2, 2, 0]), 0);
    assert.equal(topMargin([3, 3]), 0, 'flat scores are a tie');
  });

  test("with the reference's margins, disagreements are told apart from agreements by how sure the reference was", () => {
    const reference = { kind: 'labels' as const, labels: [1, 2, 3, 4, 5], margins: [0.01, 0.4, 0.02, 0.5, 0.3] };
    const compared = fidelityOf(reference, { kind: 'labels', labels: [0, 2, 0, 4, 5] });
    assert.deepEqual(compared.ok && compared.fidelity.margins, { differ: 0.015, agree: 0.4 });
    const identical = fidelityOf(reference, { kind: 'labels', labels: [1, 2, 3, 4, 5] });
    assert.equal(identical.ok && identical.fidelity.margins, undefined, 'no disagreement, nothing to explain');
  });

  test('outputs of different kinds or counts are refused, not compared', () => {
    const mixed = fidelityOf({ kind: 'labels', labels: [1] }, { kind: 'tokens', sequences: [[1]] });
    assert.equal(mixed.ok, false);
    const short = fidelityOf({ kind: 'labels', labels: [1, 2] }, { kind: 'labels', labels: [1] });
    assert.equal(!short.ok && short.error.code, 'fidelity_mismatch');
  });
});
