/**
 * BERT's tokenizer on hand-checked cases: the WordPiece examples of the BERT paper and Hugging Face's docs,
 * and the BasicTokenizer cases of transformers' own BERT tokenizer tests (casing, accents, punctuation,
 * CJK characters, unknown words).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ClassifierTextManifest } from '../../../src/models/manifest.ts';
import { bertTokenizer } from '../../../src/models/tokenizer-spec.ts';
import { basicTokens, wordPieceTokenize, type WordPieceInfo } from '../../../src/models/tokenizer-wordpiece.ts';
import { loadTokenizer } from '../../../src/server/tokenizer-loader.ts';

const root = mkdtempSync(join(tmpdir(), 'tokenizer-wordpiece-'));
after(() => rmSync(root, { recursive: true, force: true }));

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'want', '##want', '##ed', 'wa', 'un', 'runn', '##ing', ',', 'low', 'lowest', '##aff', '##able', 'hello', '!', 'how', 'are', 'you', '?', 'hallo', '博', '推', 'ah', 'zz', '$', '5', '.', '##0'];
const UNCASED = { lowercase: true, stripAccents: true, splitChinese: true };

function info(vocab: readonly string[], options = UNCASED): WordPieceInfo {
  return { kind: 'wordpiece', vocab: new Map(vocab.map((token, id) => [token, id])), ...options, unkToken: '[UNK]', specialTokens: ['[CLS]', '[SEP]', '[PAD]', '[MASK]', '[UNK]'] };
}

function pieces(text: string, tokenizer: WordPieceInfo): string[] {
  const tokens = [...tokenizer.vocab.keys()];
  return wordPieceTokenize(text, tokenizer).map((id) => tokens[id]!);
}

describe('WordPiece', () => {
  test('"unaffable" → un ##aff ##able (the BERT paper / Hugging Face docs example)', () => {
    assert.deepEqual(pieces('unaffable', info(VOCAB)), ['un', '##aff', '##able']);
  });

  test('greedy longest match first, "##" continuations, unknown words whole as [UNK]', () => {
    const tokenizer = info(VOCAB);
    assert.deepEqual(pieces('unwanted running', tokenizer), ['un', '##want', '##ed', 'runn', '##ing']);
    assert.deepEqual(pieces('unwantedX running', tokenizer), ['[UNK]', 'runn', '##ing']);
    assert.deepEqual(pieces('lowest', tokenizer), ['lowest']);
    assert.deepEqual(pieces('xyz', tokenizer), ['[UNK]']);
    assert.deepEqual(pieces(`un${'aff'.repeat(40)}`, tokenizer), ['[UNK]'], 'words over 100 characters are unknown');
  });

  test('punctuation is split off, including ASCII symbols such as $', () => {
    assert.deepEqual(pieces('$5.00, hello!', info(VOCAB)), ['$', '5', '.', '[UNK]', ',', 'hello', '!']);
  });

  test('special tokens in the text stay whole and are not lowercased', () => {
    assert.deepEqual(pieces('[CLS] Hello [MASK]!', info(VOCAB)), ['[CLS]', 'hello', '[MASK]', '!']);
  });
});

describe('BasicTokenizer (transformers tests/models/bert cases)', () => {
  const text = ' \tHäLLo!how  \n Are yoU?  ';

  test('uncased: lowercased, accents stripped, split on whitespace and punctuation', () => {
    assert.deepEqual(basicTokens(' \tHeLLo!how  \n Are yoU?  ', UNCASED), ['hello', '!', 'how', 'are', 'you', '?']);
    assert.deepEqual(basicTokens(text, UNCASED), ['hallo', '!', 'how', 'are', 'you', '?']);
    assert.deepEqual(basicTokens('H\u00E9llo', UNCASED), ['hello']);
  });

  test('lowercased but accents kept (strip_accents false)', () => {
    assert.deepEqual(basicTokens(text, { ...UNCASED, stripAccents: false }), ['hällo', '!', 'how', 'are', 'you', '?']);
  });

  test('cased: neither lowercased nor stripped, accents kept', () => {
    assert.deepEqual(basicTokens(text, { lowercase: false, stripAccents: false, splitChinese: true }), ['HäLLo', '!', 'how', 'Are', 'yoU', '?']);
    assert.deepEqual(basicTokens(text, { lowercase: false, stripAccents: true, splitChinese: true }), ['HaLLo', '!', 'how', 'Are', 'yoU', '?']);
  });

  test('CJK ideographs are split one per token; kana and hangul are not', () => {
    assert.deepEqual(basicTokens('ah\u535A\u63A8zz', UNCASED), ['ah', '\u535A', '\u63A8', 'zz']);
    assert.deepEqual(pieces('ah\u535A\u63A8zz', info(VOCAB)), ['ah', '博', '推', 'zz']);
    assert.deepEqual(basicTokens('\u{20000}x', UNCASED), ['\u{20000}', 'x'], 'an ideograph outside the BMP is one character');
    // Not split; uncased, the accent stripping (NFD, marks dropped) also drops が's dakuten and leaves hangul as jamo, as in BERT.
    assert.deepEqual(basicTokens('ひらがな한국어', UNCASED), [`ひらかな${'한국어'.normalize('NFD')}`]);
    assert.deepEqual(basicTokens('ひらがな한국어', { ...UNCASED, lowercase: false, stripAccents: false }), ['ひらがな한국어']);
  });

  test('control characters are dropped, unicode spaces separate', () => {
    assert.deepEqual(basicTokens('hel\u0000lo\u00ADwor\uFFFDld\u3000you\u00A0are', UNCASED), ['helloworld', 'you', 'are']);
  });
});

describe('a BERT export folder', () => {
  function folder(name: string, config?: object): string {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
    if (config) writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
    return dir;
  }

  function manifestOf(dir: string): ClassifierTextManifest {
    const found = bertTokenizer(dir);
    assert.ok(found);
    return { kind: 'classifier-text', name: 'user:bert', precision: 'fp32', synthetic: false, file: 'model.onnx', inputNames: ['input_ids'], outputName: 'logits', maxSequence: 32, vocabSize: VOCAB.length, classes: 2, clsId: 2, sepId: 3, padId: 0, tokenizer: found.spec };
  }

  test('uncased by default: vocab.txt with [CLS] … [SEP] framing', async () => {
    const dir = folder('uncased');
    const manifest = manifestOf(dir);
    assert.deepEqual(manifest.tokenizer, { kind: 'wordpiece', vocab: 'vocab.txt', lowercase: true, stripAccents: true, splitChinese: true, unkToken: '[UNK]' });
    const tokenize = (await loadTokenizer(dir, manifest))!;
    assert.deepEqual(tokenize('HäLLo, how are you?'), [2, 23, 12, 19, 20, 21, 22, 3]);
  });

  test('tokenizer_config.json do_lower_case false keeps case (and accents, since strip_accents follows it)', async () => {
    const dir = folder('cased', { do_lower_case: false });
    const manifest = manifestOf(dir);
    assert.deepEqual(manifest.tokenizer, { kind: 'wordpiece', vocab: 'vocab.txt', lowercase: false, stripAccents: false, splitChinese: true, unkToken: '[UNK]' });
    const tokenize = (await loadTokenizer(dir, manifest))!;
    assert.deepEqual(tokenize('Hello hello'), [2, 1, 17, 3]);
    assert.equal(readFileSync(join(dir, 'vocab.txt'), 'utf8').split('\n')[17], 'hello');
  });
});
