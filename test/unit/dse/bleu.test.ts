import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bleu, bleuLine, bleuOf, brevityPenalty, isSentencePieceVocab, parseReferencePairs, sentencePieceDetokenizer, words } from '../../../src/dse/variants/bleu.ts';

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

describe('detokenizing and references for BLEU', () => {
  const vocab = { '</s>': 0, '▁he': 5, '▁read': 6, '▁the': 7, '▁bo': 8, 'ok': 9, '.': 10, '<pad>': 65000 };

  test('SentencePiece pieces join back into words; eos and pad are dropped', () => {
    const detokenize = sentencePieceDetokenizer(vocab, [0, 65000]);
    assert.equal(detokenize([5, 6, 7, 8, 9, 10, 0, 65000]), 'he read the book.');
    assert.equal(isSentencePieceVocab(vocab), true);
    assert.equal(isSentencePieceVocab({ hello: 1, '##lo': 2 }), false);
  });

  test('reference pairs are tab-separated lines; a malformed line is named', () => {
    assert.deepEqual(parseReferencePairs('我读书。\tI read books.\n\n他来了。\tHe came.\n', 'refs.tsv'), {
      ok: true,
      pairs: [{ source: '我读书。', reference: 'I read books.' }, { source: '他来了。', reference: 'He came.' }],
    });
    const bad = parseReferencePairs('ok\tfine\nno tab here\n', 'refs.tsv');
    assert.equal(!bad.ok && bad.error.message, 'refs.tsv:2: expected "source<TAB>reference", got 0 tab(s)');
    assert.equal(parseReferencePairs('\n', 'empty.tsv').ok, false);
  });

  test("a variant's translations are scored against the references, and the line says what it got", () => {
    const detokenize = sentencePieceDetokenizer(vocab, [0, 65000]);
    const pairs = [{ source: '他读书。', reference: 'he read the book.' }];
    const scored = bleuOf({ kind: 'tokens', sequences: [[5, 6, 7, 8, 9, 10, 0]] }, pairs, detokenize);
    assert.deepEqual(scored, { ok: true, bleu: 1, sentences: 1 });
    assert.equal(bleuLine('int8', scored), 'BLEU int8: 100.0 on 1 sentences');
    assert.equal(bleuOf({ kind: 'labels', labels: [1] }, pairs, detokenize).ok, false);
    assert.equal(bleuLine('fp32', { ok: false, note: 'BLEU applies to translators only' }), 'BLEU fp32: BLEU applies to translators only');
  });
});
