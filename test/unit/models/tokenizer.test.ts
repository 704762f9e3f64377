import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { bertBuilder } from '../../../src/models/builders/bert.ts';
import { marianBuilder } from '../../../src/models/builders/marian.ts';
import type { ClassifierTextManifest, TranslatorManifest } from '../../../src/models/manifest.ts';
import { splitPieces } from '../../../src/models/tokenizer-hash.ts';
import { frameIds, hashTokenizerFor, largestGap, tokenize } from '../../../src/models/tokenizer.ts';

const marian = marianBuilder.manifest('fp32') as TranslatorManifest;
const bert = bertBuilder.manifest('fp32') as ClassifierTextManifest;

describe('hash tokenizer (built-in models)', () => {
  test('one token per CJK character, words and punctuation split, case folded', () => {
    assert.deepEqual(splitPieces('我爱北京, Hello  World! 3.14'), ['我', '爱', '北', '京', ',', 'hello', 'world', '!', '3', '.', '14']);
    assert.deepEqual(splitPieces('ＡＢＣ'), ['abc'], 'NFKC folds full-width letters');
  });

  test('is deterministic and maps equal pieces to equal ids', () => {
    const info = hashTokenizerFor(marian);
    const ids = tokenize('北京 北京 hello', info);
    assert.deepEqual(ids, tokenize('北京 北京 hello', info));
    assert.equal(ids[0], ids[2]);
    assert.equal(ids.length, 5);
  });

  test('ids stay inside the vocabulary and off the special ids', () => {
    const infos = [hashTokenizerFor(marian), hashTokenizerFor(bert)];
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        for (const [info, m] of [[infos[0]!, marian], [infos[1]!, bert]] as const) {
          const specials = m.kind === 'translator' ? [m.eosId, m.padId] : [m.padId, m.clsId, m.sepId, 100, 103];
          for (const id of tokenize(text, info)) {
            assert.ok(id >= 0 && id < m.vocabSize && !specials.includes(id), `${id} for ${JSON.stringify(text)}`);
          }
        }
      }),
    );
  });

  test('the id range is the widest gap between special ids', () => {
    assert.deepEqual(largestGap([0, 65000], 65001), { firstId: 1, endId: 65000 });
    assert.deepEqual(largestGap([10], 12), { firstId: 0, endId: 10 });
    assert.deepEqual(hashTokenizerFor(bert), { kind: 'hash', firstId: 1000, endId: 30522 });
  });
});

describe('vocab.json tokenizer (exported models)', () => {
  test('SentencePiece vocabularies: ▁ marks word starts, longest match wins', () => {
    const vocab = { '<unk>': 1, '\u2581hello': 5, '\u2581wor': 6, ld: 7, '\u2581': 8, h: 9, '\u2581he': 10 };
    assert.deepEqual(tokenize('hello  world hx', { kind: 'vocab', vocab }), [5, 6, 7, 8, 9, 1]);
  });

  test('WordPiece vocabularies: ## continues a word, an unmatchable word is [UNK]', () => {
    const vocab = { '[UNK]': 100, play: 1, '##ing': 2, '##s': 3, '!': 4 };
    assert.deepEqual(tokenize('Playing plays xyz!', { kind: 'vocab', vocab }), [1, 2, 1, 3, 100, 4]);
  });

  test('plain vocabularies match pieces and drop whitespace', () => {
    const vocab = { '<unk>': 0, 北京: 1, 北: 2, 京: 3, 人: 4 };
    assert.deepEqual(tokenize('北京人 京?', { kind: 'vocab', vocab }), [1, 4, 3, 0]);
  });
});

describe('frameIds', () => {
  test('classifiers get [CLS] … [SEP] within maxSequence', () => {
    const framed = frameIds(Array.from({ length: 500 }, (_, i) => 2000 + i), bert);
    assert.equal(framed.length, bert.maxSequence);
    assert.deepEqual([framed[0], framed.at(-1)], [bert.clsId, bert.sepId]);
  });

  test('translators get </s> at the end within maxSourceTokens', () => {
    assert.deepEqual(frameIds([5, 6], marian), [5, 6, marian.eosId]);
    assert.equal(frameIds(Array.from({ length: 900 }, () => 7), marian).length, marian.maxSourceTokens);
  });
});
