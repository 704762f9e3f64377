/**
 * The server's SentencePiece tokenizer against Google's reference tools: tiny unigram and BPE models are
 * trained with spm_train on generated Chinese sentences and English tweets, and 1,000 other sentences must
 * get exactly spm_encode's ids (through a Marian-style vocab.json) and decode back to spm_decode's text.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TranslatorManifest } from '../../../src/models/manifest.ts';
import { loadDetokenizer } from '../../../src/models/tokenizer.ts';
import { loadTokenizer } from '../../../src/server/tokenizer-loader.ts';
import { corpus, requireSpm, spmDecodePieces, spmEncodeIds, spmEncodePieces, trainSpm, type TrainedSpm } from './spm-fixture.ts';

const SENTENCES = 1000;
const root = mkdtempSync(join(tmpdir(), 'tokenizer-spm-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A model directory whose source.spm and target.spm are `spm` and whose vocab.json maps each piece to its spm id, plus `extra` pieces. */
function marianDir(name: string, spm: TrainedSpm, extra: Record<string, number> = {}, drop: readonly string[] = []): { dir: string; manifest: TranslatorManifest } {
  const dir = join(root, name);
  mkdirSync(dir);
  copyFileSync(spm.model, join(dir, 'source.spm'));
  copyFileSync(spm.model, join(dir, 'target.spm'));
  const vocab: Record<string, number> = { ...Object.fromEntries(spm.pieces.map((piece, id) => [piece, id])), ...extra };
  for (const piece of drop) delete vocab[piece];
  const padId = spm.pieces.length + Object.keys(extra).length;
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify({ ...vocab, '<pad>': padId }));
  const manifest: TranslatorManifest = {
    kind: 'translator',
    name: `user:${dir}`,
    precision: 'fp32',
    synthetic: false,
    files: { encoder: 'encoder_model.onnx', decoder: 'decoder_model.onnx', decoderWithPast: 'decoder_with_past_model.onnx' },
    layers: 1,
    heads: 1,
    dModel: 8,
    vocabSize: padId + 1,
    padId,
    eosId: spm.pieces.indexOf('</s>'),
    maxSourceTokens: 512,
    targetLengthRatio: 1.3,
    tokenizer: { kind: 'sentencepiece', source: 'source.spm', target: 'target.spm', vocab: 'vocab.json', unkToken: '<unk>' },
  };
  return { dir, manifest };
}

for (const type of ['unigram', 'bpe'] as const) {
  describe(`SentencePiece (${type}) against spm_encode / spm_decode`, () => {
    let spm: TrainedSpm;
    let sentences: string[];
    before(() => {
      requireSpm();
      const dir = join(root, `train-${type}`);
      mkdirSync(dir);
      spm = trainSpm(dir, type, corpus(11, 3000), { type, vocabSize: 800 });
      sentences = corpus(12, SENTENCES);
    });

    test(`${SENTENCES} sentences get spm_encode's ids, then </s>`, async (t) => {
      const { dir, manifest } = marianDir(`encode-${type}`, spm);
      const tokenize = (await loadTokenizer(dir, manifest))!;
      const reference = spmEncodeIds(spm.model, sentences);
      const differing = sentences.filter((text, i) => JSON.stringify(tokenize(text)) !== JSON.stringify([...reference[i]!, manifest.eosId]));
      t.diagnostic(`${type}: ${SENTENCES - differing.length} of ${SENTENCES} sentences tokenized exactly as spm_encode`);
      assert.deepEqual(differing.slice(0, 3), [], `${differing.length} sentences differ`);
    });

    test('normalization and spacing edge cases match too', async () => {
      const { dir, manifest } = marianDir(`edges-${type}`, spm);
      const tokenize = (await loadTokenizer(dir, manifest))!;
      const edges = ['  leading and   inner spaces  ', 'ＡＢＣ full-width ｶﾀｶﾅ ①', 'café naïve Ünïcödé', 'ﬁnally… ™', '我爱北京！ 😂🔥', 'x'];
      const reference = spmEncodeIds(spm.model, edges);
      edges.forEach((text, i) => assert.deepEqual(tokenize(text), [...reference[i]!, manifest.eosId], JSON.stringify(text)));
    });

    test(`output ids decode to spm_decode's text`, async () => {
      const { dir, manifest } = marianDir(`decode-${type}`, spm);
      const detokenize = (await loadDetokenizer(dir, manifest))!;
      const ids = spmEncodeIds(spm.model, sentences);
      const expected = spmDecodePieces(spm.model, spmEncodePieces(spm.model, sentences));
      const same = ids.filter((list, i) => detokenize([...list, manifest.eosId, manifest.padId]) === expected[i]!.trim()).length;
      assert.equal(same, SENTENCES);
    });
  });
}

describe('MarianTokenizer details', () => {
  let spm: TrainedSpm;
  before(() => {
    requireSpm();
    const dir = join(root, 'train-details');
    mkdirSync(dir);
    spm = trainSpm(dir, 'details', corpus(21, 2000), { type: 'unigram', vocabSize: 600 });
  });

  test('a leading >>xx<< language code is one token, looked up in vocab.json', async () => {
    const { dir, manifest } = marianDir('language-code', spm, { '>>fra<<': spm.pieces.length });
    const tokenize = (await loadTokenizer(dir, manifest))!;
    const [plain] = spmEncodeIds(spm.model, ['good morning']);
    assert.deepEqual(tokenize('>>fra<< good morning'), [spm.pieces.length, ...plain!, manifest.eosId]);
  });

  test('a piece vocab.json lacks becomes <unk>', async () => {
    const [pieces] = spmEncodePieces(spm.model, ['thank you so much for everything']);
    const dropped = pieces!.find((piece) => piece.length > 2)!;
    const { dir, manifest } = marianDir('missing-piece', spm, {}, [dropped]);
    const tokenize = (await loadTokenizer(dir, manifest))!;
    const unk = spm.pieces.indexOf('<unk>');
    const expected = pieces!.map((piece) => (piece === dropped ? unk : spm.pieces.indexOf(piece)));
    assert.deepEqual(tokenize('thank you so much for everything'), [...expected, manifest.eosId]);
  });

  test('a vocab.json piece target.spm lacks is written out as is, as DecodePieces does', async () => {
    const extraId = spm.pieces.length;
    const { dir, manifest } = marianDir('extra-piece', spm, { XYZ: extraId });
    const detokenize = (await loadDetokenizer(dir, manifest))!;
    const [pieces] = spmEncodePieces(spm.model, ['so happy today']);
    const ids = pieces!.map((piece) => spm.pieces.indexOf(piece));
    const [expected] = spmDecodePieces(spm.model, [[...pieces!, 'XYZ', ...pieces!]]);
    assert.equal(detokenize([...ids, extraId, ...ids, manifest.eosId]), expected);
    const [leading] = spmDecodePieces(spm.model, [['XYZ', ...pieces!]]);
    assert.equal(detokenize([extraId, ...ids]), leading);
  });
});
