/**
 * Every synthetic built-in model at both precisions (ocr, with real weights: ocr.test.ts): built (once, into the shared cache), loadable, with the
 * input/output names and shapes of its manifest; int8 files smaller than fp32 and agreeing on top-1
 * for most inputs; classifier outputs that depend on the input.
 * The first run builds about 1.5 GB of models (~1–2 minutes); later runs reuse the cache.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SYNTHETIC_MODELS, type BuiltinModel, type SyntheticModel } from '../../src/models/builder.ts';
import { builderFor, ensureModel, readStamp } from '../../src/models/build.ts';
import { inspectOnnx, type GraphSignature } from '../../src/models/inspect.ts';
import { MANIFEST_FILE, type ModelManifest, type Precision } from '../../src/models/manifest.ts';
import { openProbe } from '../../src/models/probe.ts';
import { validateModel } from '../../src/models/validate.ts';

const SAMPLES = 16;

async function built(model: BuiltinModel, precision: Precision): Promise<{ dir: string; manifest: ModelManifest }> {
  const dir = await ensureModel({ model, precision });
  return { dir, manifest: JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest };
}

async function signature(path: string): Promise<GraphSignature> {
  const inspected = await inspectOnnx(path);
  assert.ok(inspected.ok, path);
  return inspected.value;
}

function shapes(s: GraphSignature['inputs']): Record<string, string> {
  return Object.fromEntries(s.map((t) => [t.name, `${t.type}[${t.shape.join(',')}]`]));
}

function modelFiles(m: ModelManifest): string[] {
  return m.kind === 'translator' ? Object.values(m.files) : [m.file];
}

async function top1(dir: string, manifest: ModelManifest): Promise<string[]> {
  const probe = await openProbe(dir, manifest);
  const tops: string[] = [];
  for (let i = 0; i < SAMPLES; i++) tops.push((await probe.run(i)).top.join(','));
  await probe.release();
  return tops;
}

const EXPECTED_IO: Record<Exclude<SyntheticModel, 'marian'>, { inputs: Record<string, string>; outputs: Record<string, string> }> = {
  gan: { inputs: { images: 'float32[batch,32,32,3]' }, outputs: { logits: 'float32[batch,11]' } },
  resnet: { inputs: { images: 'float32[batch,224,224,3]' }, outputs: { logits: 'float32[batch,1000]' } },
  bert: {
    inputs: { input_ids: 'int64[batch,sequence]', attention_mask: 'int64[batch,sequence]', token_type_ids: 'int64[batch,sequence]' },
    outputs: { logits: 'float32[batch,11]' },
  },
};

for (const model of SYNTHETIC_MODELS) {
  describe(`built-in ${model}`, () => {
    for (const precision of ['fp32', 'int8'] as const) {
      test(`${precision}: manifest, stamp, names and shapes, check run`, async () => {
        const { dir, manifest } = await built(model, precision);
        assert.deepEqual(manifest, builderFor(model).manifest(precision));
        assert.equal(manifest.synthetic, true);
        assert.equal(readStamp(dir)?.builderVersion, builderFor(model).version);
        if (model === 'marian') await checkMarianIO(dir);
        else {
          const s = await signature(join(dir, modelFiles(manifest)[0]!));
          assert.deepEqual(shapes(s.inputs), EXPECTED_IO[model].inputs);
          assert.deepEqual(shapes(s.outputs), EXPECTED_IO[model].outputs);
        }
        assert.deepEqual(await validateModel(dir, manifest), { ok: true });
      });
    }

    test('int8 files are smaller and agree with fp32 on top-1 for most inputs', async () => {
      const fp32 = await built(model, 'fp32');
      const int8 = await built(model, 'int8');
      const bytes = (b: { dir: string; manifest: ModelManifest }): number => modelFiles(b.manifest).reduce((sum, f) => sum + statSync(join(b.dir, f)).size, 0);
      assert.ok(bytes(int8) < 0.5 * bytes(fp32), `int8 ${bytes(int8)} B vs fp32 ${bytes(fp32)} B`);
      const [a, b] = [await top1(fp32.dir, fp32.manifest), await top1(int8.dir, int8.manifest)];
      // Random weights leave small top-1 margins (ResNet: 1000 classes), so int8 noise flips a few; a majority must agree.
      const agreeing = a.filter((t, i) => t === b[i]).length;
      assert.ok(agreeing > SAMPLES / 2, `top-1 agreement ${agreeing}/${SAMPLES}: fp32 ${a.join(' ')} / int8 ${b.join(' ')}`);
      if (fp32.manifest.kind !== 'translator') assert.ok(new Set(a).size >= 2, `outputs depend on the input: ${a.join(' ')}`);
      if (fp32.manifest.kind === 'translator') {
        const eos = String(fp32.manifest.eosId);
        assert.ok([...a, ...b].every((tokens) => !tokens.split(',').includes(eos)), 'synthetic decoders never pick EOS');
      }
    });
  });
}

async function checkMarianIO(dir: string): Promise<void> {
  const cache = (seq: string): string => `float32[batch_size,8,${seq},64]`;
  const presents = (parts: string[], seqs: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Array.from({ length: 6 }, (_, i) => parts.flatMap((p) => ['key', 'value'].map((k) => [`present.${i}.${p}.${k}`, cache(seqs[p]!)]))).flat());
  const encoder = await signature(join(dir, 'encoder_model.onnx'));
  assert.deepEqual(shapes(encoder.inputs), { input_ids: 'int64[batch_size,encoder_sequence_length]', attention_mask: 'int64[batch_size,encoder_sequence_length]' });
  assert.deepEqual(shapes(encoder.outputs), { last_hidden_state: 'float32[batch_size,encoder_sequence_length,512]' });
  const decoder = await signature(join(dir, 'decoder_model.onnx'));
  assert.deepEqual(shapes(decoder.inputs), {
    encoder_attention_mask: 'int64[batch_size,encoder_sequence_length]',
    input_ids: 'int64[batch_size,decoder_sequence_length]',
    encoder_hidden_states: 'float32[batch_size,encoder_sequence_length,512]',
  });
  const decoderPresents = presents(['decoder', 'encoder'], { decoder: 'decoder_sequence_length', encoder: 'encoder_sequence_length' });
  assert.deepEqual(shapes(decoder.outputs), { logits: 'float32[batch_size,decoder_sequence_length,65001]', ...decoderPresents });
  // Like a real Optimum export: no encoder_hidden_states input and no encoder presents once the cross keys are cached.
  const withPast = await signature(join(dir, 'decoder_with_past_model.onnx'));
  const pasts = presents(['decoder', 'encoder'], { decoder: 'past_decoder_sequence_length', encoder: 'encoder_sequence_length' });
  const pastInputs = Object.fromEntries(Object.entries(pasts).map(([k, v]) => [k.replace('present', 'past_key_values'), v]));
  assert.deepEqual(shapes(withPast.inputs), { encoder_attention_mask: 'int64[batch_size,encoder_sequence_length]', input_ids: 'int64[batch_size,1]', ...pastInputs });
  const stepPresents = presents(['decoder'], { decoder: 'past_decoder_sequence_length + 1' });
  assert.deepEqual(shapes(withPast.outputs), { logits: 'float32[batch_size,1,65001]', ...stepPresents });
}
