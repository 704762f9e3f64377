import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bleu, brevityPenalty, words } from '../../../src/dse/bleu.ts';

// The worked example of NLTK's corpus_bleu documentation (nltk.translate.bleu_score), whose printed values are
// corpus 0.5920778868801042 and, for the first sentence alone, 0.5045666840058485.
const hyp1 = words('It is a guide to action which ensures that the military always obeys the commands of the party');
const ref1a = words('It is a guide to action that ensures that the military will forever heed Party commands');
const ref1b = words('It is the guiding principle which guarantees the military forces always being under the command of the Party');
const ref1c = words('It is the practical guide for the army always to heed the directions of the party');
const hyp2 = words('he read the book because he was interested in world history');
const ref2a = words('he was interested in world history because he read the book');

describe('corpus BLEU-4', () => {
  test("matches NLTK's documented corpus value with several references per sentence", () => {
    assert.ok(Math.abs(bleu([hyp1, hyp2], [[ref1a, ref1b, ref1c], [ref2a]]) - 0.5920778868801042) < 1e-12);
  });

  test("matches NLTK's documented single-sentence value", () => {
    assert.ok(Math.abs(bleu([hyp1], [[ref1a, ref1b, ref1c]]) - 0.5045666840058485) < 1e-12);
  });

  test('a perfect translation scores 1; one with no matching 4-gram scores 0 (no smoothing)', () => {
    assert.equal(bleu([ref2a], [[ref2a]]), 1);
    assert.equal(bleu([words('the book he read')], [[words('he read the book')]]), 0);
  });

  test('n-gram counts are clipped by the reference: repeating a word earns nothing', () => {
    const hyp = words('the the the the the the the');
    assert.equal(bleu([hyp], [[words('the cat is on the mat')]]), 0);
  });

  test('a short candidate pays the brevity penalty exp(1 − r/c)', () => {
    const reference = words('a b c d e f g h');
    const candidate = words('a b c d e f');
    assert.ok(Math.abs(bleu([candidate], [[reference]]) - Math.exp(1 - 8 / 6)) < 1e-12);
    assert.equal(brevityPenalty(10, 8), 1);
    assert.equal(brevityPenalty(0, 8), 0);
  });

  test('candidates and reference sets must pair up', () => {
    assert.throws(() => bleu([hyp1], []), RangeError);
  });
});
