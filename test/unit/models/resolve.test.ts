import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ClassifierImageManifest, ClassifierTextManifest, TensorManifest, TranslatorManifest } from '../../../src/models/manifest.ts';
import { resolveModel, type ResolvedModel } from '../../../src/models/resolve.ts';
import { TINY_MARIAN, writeDynamicTensorModel, writeImageClassifier, writeOptimumFolder, writeTextClassifier } from './tiny-models.ts';

const root = mkdtempSync(join(tmpdir(), 'resolve-model-'));
const cacheDir = join(root, 'cache');
after(() => rmSync(root, { recursive: true, force: true }));

const options = { precision: 'fp32' as const, cacheDir, modelRoot: root };

function expectError(result: ResolvedModel, code: string, pattern: RegExp): void {
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.code, code);
  assert.match(result.error.message, pattern);
  assert.equal(result.error.message.includes('\n'), false, 'one line');
}

describe('resolveModel: user files', () => {
  test('a missing .onnx file names the path and what to give instead', async () => {
    const result = await resolveModel(join(root, 'nope/model.onnx'), options);
    expectError(result, 'model-not-found', /^model file not found: .*nope\/model\.onnx \(give a built-in name: marian, resnet, bert, gan, ocr, or a path to an \.onnx file or an Optimum export folder\)$/);
  });

  test('a file that is not ONNX is reported as corrupt', async () => {
    const path = join(root, 'notes.onnx');
    writeFileSync(path, 'this is not a protobuf at all, just some text');
    expectError(await resolveModel(path, options), 'model-corrupt', /^not a loadable ONNX model: .*notes\.onnx \(onnxruntime: /);
  });

  test('an NHWC image classifier gets an image manifest and a hard-linked copy', async () => {
    const path = join(root, 'tiny-image.onnx');
    writeImageClassifier(path);
    const result = await resolveModel(path, options);
    assert.ok(result.ok, JSON.stringify(result));
    const m = result.manifest as ClassifierImageManifest;
    assert.deepEqual([m.kind, m.inputName, m.outputName, m.instanceShape, m.classes, m.synthetic], ['classifier-image', 'pixels', 'scores', [8, 8, 3], 5, false]);
    assert.equal(statSync(join(result.dir, m.file)).ino, statSync(path).ino);
    const again = await resolveModel(path, options);
    assert.ok(again.ok);
    assert.equal(again.dir, result.dir);
  });

  test('an NCHW image model is served as a tensor model, its inputs and outputs as the graph has them', async () => {
    const path = join(root, 'tiny-nchw.onnx');
    writeImageClassifier(path, 'nchw');
    const result = await resolveModel(path, options);
    assert.ok(result.ok, JSON.stringify(result));
    const m = result.manifest as TensorManifest;
    assert.deepEqual([m.kind, m.inputs, m.outputs], ['tensor', [{ name: 'pixels', dtype: 'float32', shape: [3, 8, 8] }], [{ name: 'scores', dtype: 'float32', shape: [5] }]]);
  });

  test('at int8 a user model is staged as a quantized copy (MatMulInteger), not a link to the fp32 file', async () => {
    const path = join(root, 'tiny-nchw-int8.onnx');
    writeImageClassifier(path, 'nchw');
    const result = await resolveModel(path, { ...options, precision: 'int8' });
    assert.ok(result.ok, JSON.stringify(result));
    const m = result.manifest as TensorManifest;
    assert.deepEqual([m.kind, m.precision], ['tensor', 'int8']);
    const staged = join(result.dir, m.file);
    assert.notEqual(statSync(staged).ino, statSync(path).ino);
    assert.ok(readFileSync(staged).includes('MatMulInteger'), 'the MatMul was rewritten');
    assert.deepEqual(readdirSync(join(cacheDir, 'models', 'user')).filter((name) => name.endsWith('.onnx')), [], 'no quantized scratch file is left');
  });

  test('a tensor model with dynamic dims needs --input-shape (or a workload), and each gets its own staged copy', async () => {
    const path = join(root, 'tiny-dynamic.onnx');
    writeDynamicTensorModel(path);
    expectError(await resolveModel(path, options), 'model-mismatch', /^model tiny-dynamic\.onnx input "x" float32 \[batch, 2, n\] has dynamic dims n: give them with --input-shape x=2x64 or pass --workload FILE$/);
    const four = await resolveModel(path, { ...options, hints: { given: { x: [2, 4] } } });
    const six = await resolveModel(path, { ...options, hints: { given: { x: [2, 6] } } });
    assert.ok(four.ok && six.ok);
    assert.notEqual(four.dir, six.dir);
    assert.deepEqual((six.manifest as TensorManifest).inputs[0]?.shape, [2, 6]);
  });

  test('a text classifier with a vocab.txt beside it gets its ids from the vocabulary', async () => {
    const folder = join(root, 'text');
    mkdirSync(folder);
    const path = join(folder, 'classifier.onnx');
    writeTextClassifier(path);
    writeFileSync(join(folder, 'vocab.txt'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'hello', 'world'].join('\n'));
    const result = await resolveModel(path, options);
    assert.ok(result.ok, JSON.stringify(result));
    const m = result.manifest as ClassifierTextManifest;
    assert.deepEqual([m.kind, m.inputNames, m.outputName, m.classes], ['classifier-text', ['input_ids', 'attention_mask'], 'logits', 3]);
    assert.deepEqual([m.padId, m.clsId, m.sepId, m.vocabSize], [0, 2, 3, 6]);
    assert.deepEqual(m.tokenizer, { kind: 'wordpiece', vocab: 'vocab.txt', lowercase: true, stripAccents: true, splitChinese: true, unkToken: '[UNK]' });
    assert.equal(readFileSync(join(result.dir, 'vocab.txt'), 'utf8').split('\n')[5], 'world');
  });
});

describe('resolveModel: only models under the allowed directory', () => {
  const outside = mkdtempSync(join(tmpdir(), 'resolve-outside-'));
  after(() => rmSync(outside, { recursive: true, force: true }));

  test('a model outside the allowed directory is refused with the way out', async () => {
    const path = join(outside, 'elsewhere.onnx');
    writeImageClassifier(path);
    expectError(await resolveModel(path, options), 'model-not-allowed', /^model path .*elsewhere\.onnx is outside the allowed directory .*resolve-model-\w+: move the model under it or set TUNE_MODEL_ROOT=<a directory holding it>$/);
    assert.ok((await resolveModel(path, { ...options, modelRoot: outside })).ok, 'allowed once the root holds it');
  });

  test('a symlink leading out of the allowed directory is refused, one inside it is followed', async () => {
    const target = join(outside, 'real.onnx');
    writeImageClassifier(target);
    const escape = join(root, 'escape.onnx');
    symlinkSync(target, escape);
    expectError(await resolveModel(escape, options), 'model-not-allowed', /escape\.onnx is outside the allowed directory/);

    const folder = join(root, 'with-escaping-vocab');
    mkdirSync(folder);
    writeTextClassifier(join(folder, 'classifier.onnx'));
    writeFileSync(join(outside, 'vocab.txt'), '[PAD]\n[UNK]\n[CLS]\n[SEP]\n');
    symlinkSync(join(outside, 'vocab.txt'), join(folder, 'vocab.txt'));
    expectError(await resolveModel(join(folder, 'classifier.onnx'), options), 'model-not-allowed', /vocab\.txt is a symlink to .*resolve-outside-\w+\/vocab\.txt, outside the allowed directory .*: copy the file in instead$/);

    const inside = join(root, 'inside-link.onnx');
    writeImageClassifier(join(root, 'link-target.onnx'));
    symlinkSync(join(root, 'link-target.onnx'), inside);
    assert.ok((await resolveModel(inside, options)).ok, 'a link to a file under the root is fine');
  });
});

describe('resolveModel: Optimum export folders', () => {
  test('a classifier export folder with one model.onnx resolves to that model', async () => {
    const folder = join(root, 'classifier-export');
    mkdirSync(folder);
    writeImageClassifier(join(folder, 'model.onnx'));
    const result = await resolveModel(folder, options);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.manifest.kind, 'classifier-image');
  });

  test('a missing folder is not found, with the hint', async () => {
    expectError(await resolveModel(join(root, 'no-such-export'), options), 'model-not-found', /^model not found: .*no-such-export \(give a built-in name/);
  });

  test('a complete folder becomes a translator manifest from config.json', async () => {
    const folder = join(root, 'opus-tiny');
    writeOptimumFolder(folder);
    const result = await resolveModel(folder, options);
    assert.ok(result.ok, JSON.stringify(result));
    const m = result.manifest as TranslatorManifest;
    assert.deepEqual([m.kind, m.layers, m.heads, m.dModel, m.vocabSize, m.padId, m.eosId], ['translator', 2, 2, 16, 120, 119, 0]);
    assert.deepEqual(m.tokenizer, { kind: 'vocab', vocab: 'vocab.json' }, 'no source.spm/target.spm: greedy matching over vocab.json');
    assert.deepEqual(m.files, { encoder: 'encoder_model.onnx', decoder: 'decoder_model.onnx', decoderWithPast: 'decoder_with_past_model.onnx' });
  });

  test('without config.json the sizes come from the graphs', async () => {
    const folder = join(root, 'opus-tiny-noconfig');
    writeOptimumFolder(folder, { config: false });
    const result = await resolveModel(folder, options);
    assert.ok(result.ok, JSON.stringify(result));
    const m = result.manifest as TranslatorManifest;
    assert.deepEqual([m.layers, m.heads, m.dModel, m.vocabSize], [TINY_MARIAN.decoderLayers, TINY_MARIAN.heads, TINY_MARIAN.dModel, TINY_MARIAN.vocab]);
  });

  test('a folder missing the decoder says which file and how to export', async () => {
    const folder = join(root, 'opus-broken');
    writeOptimumFolder(folder, { omit: 'decoder_model.onnx' });
    expectError(await resolveModel(folder, options), 'model-mismatch', /is missing decoder_model\.onnx \(export it with: optimum-cli export onnx/);
  });

  test('a folder whose decoder is corrupt is reported as corrupt', async () => {
    const folder = join(root, 'opus-corrupt');
    writeOptimumFolder(folder);
    writeFileSync(join(folder, 'decoder_with_past_model.onnx'), Buffer.from([1, 2, 3, 4, 5]));
    const result = await resolveModel(folder, options);
    expectError(result, 'model-corrupt', /decoder_with_past_model\.onnx/);
  });

  test('no half-staged directories are left behind', () => {
    const userDir = join(cacheDir, 'models', 'user');
    assert.ok(existsSync(userDir));
    assert.deepEqual(readdirSync(userDir).filter((d) => d.includes('.tmp-')), []);
  });
});
