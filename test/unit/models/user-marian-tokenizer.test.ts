/**
 * A user's Marian export end to end through the server's code: a toy Optimum folder (real ONNX graphs)
 * with source.spm / target.spm / vocab.json made here from an spm_train model is resolved, staged and
 * loaded into real ONNX Runtime; text is tokenized as spm_encode + vocab.json + </s> and the predicted
 * ids come back as spm_decode's text (in the prediction and for BLEU).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bleuDetokenizer } from '../../../src/dse/variants/bleu.ts';
import type { TranslatorManifest } from '../../../src/models/manifest.ts';
import { resolveModel } from '../../../src/models/resolve.ts';
import { openRunner } from '../../../src/server/model-loader.ts';
import type { Runner } from '../../../src/server/runners/runner.ts';
import type { Translation } from '../../../src/server/runners/translator-runner.ts';
import { sessionOpener } from '../../../src/server/session.ts';
import { loadTokenizer } from '../../../src/server/tokenizer-loader.ts';
import { corpus, referenceDecode, requireSpm, shortTexts, spmEncodePieces, writeMarianSpmFolder } from './spm-fixture.ts';
import { TINY_MARIAN } from './tiny-models.ts';

const root = mkdtempSync(join(tmpdir(), 'user-marian-'));
after(() => rmSync(root, { recursive: true, force: true }));

const KNOBS = { intraOpThreads: 1, interOpThreads: 0, executionMode: 'sequential', graphOptimizationLevel: 'all' } as const;
const EOS = TINY_MARIAN.eosId;
const UNK = 1;

describe('a Marian export folder with its SentencePiece models', () => {
  const folder = join(root, 'opus-mt-tiny');
  let spmModel: string;
  let vocab: Record<string, number>;
  let dir: string;
  let manifest: TranslatorManifest;
  let runner: Runner<unknown>;

  before(async () => {
    requireSpm();
    ({ spmModel, vocab } = writeMarianSpmFolder(folder, root));
    const resolved = await resolveModel(folder, { precision: 'fp32', cacheDir: join(root, 'cache'), modelRoot: root });
    assert.ok(resolved.ok, JSON.stringify(resolved));
    dir = resolved.dir;
    manifest = resolved.manifest as TranslatorManifest;
    runner = await openRunner(dir, manifest, { openSession: sessionOpener(KNOBS), loadTokenizer });
  });

  after(() => runner?.close());

  test('the manifest names SentencePiece and its files are staged with the graphs', () => {
    assert.deepEqual(manifest.tokenizer, { kind: 'sentencepiece', source: 'source.spm', target: 'target.spm', vocab: 'vocab.json', unkToken: '<unk>' });
    for (const file of ['source.spm', 'target.spm', 'vocab.json']) assert.ok(existsSync(join(dir, file)), file);
  });

  test('text becomes spm_encode pieces → vocab.json ids → </s>, so token counts are the real ones', () => {
    const texts = shortTexts(32, 50);
    const reference = spmEncodePieces(spmModel, texts);
    texts.forEach((text, i) => {
      const parsed = runner.parse({ text });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.deepEqual(parsed.value, [...reference[i]!.map((piece) => vocab[piece] ?? UNK), EOS], text);
    });
    const long = corpus(34, 3, 'english').join(' ');
    const pieces = spmEncodePieces(spmModel, [long])[0]!.length;
    const refused = runner.parse({ text: long });
    assert.deepEqual(refused.ok ? undefined : refused.error.message, `instance has ${pieces + 1} tokens, the model accepts at most ${TINY_MARIAN.maxPositions} tokens: shorten it`);
  });

  test('predictions carry the translation as target.spm text, the same text BLEU scores', async () => {
    const texts = shortTexts(33, 6);
    const batch = texts.map((text) => {
      const parsed = runner.parse({ text });
      assert.ok(parsed.ok);
      return parsed.value;
    });
    const translations = (await runner.run(batch)) as Translation[];
    const expected = referenceDecode(spmModel, vocab, translations.map((t) => t.token_ids));
    assert.ok(translations.some((t) => t.text !== ''), 'some output has text');
    assert.deepEqual(translations.map((t) => t.text), expected);
    const bleu = await bleuDetokenizer(dir);
    assert.ok(bleu.ok, JSON.stringify(bleu));
    assert.deepEqual(translations.map((t) => bleu.detokenize(t.token_ids)), expected);
  });
});
