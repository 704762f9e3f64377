/**
 * Checks that a model directory does what its manifest says: every file loads in onnxruntime-node,
 * has the named inputs and outputs, and a small input gives outputs of the expected shapes with finite
 * values. Used after every build and on every user model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { checkTensorOutputs, tensorFeeds } from './tensor-check.ts';
import type { TensorManifest } from './manifest.ts';
import { ctcCharacters } from '../server/runners/text-recognition-ctc.ts';
import type { ClassifierImageManifest, ClassifierTextManifest, ModelManifest, TextRecognitionManifest, TranslatorManifest } from './manifest.ts';

export type ValidationResult = { ok: true } | { ok: false; code: 'model-invalid'; message: string };

type Feeds = Record<string, ort.Tensor>;
type Outputs = ort.InferenceSession.ReturnType;

/** Failures are reported through the result, so onnxruntime's own error log is silenced (4 = fatal only). */
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 };

export async function validateModel(dir: string, manifest: ModelManifest): Promise<ValidationResult> {
  try {
    if (manifest.kind === 'classifier-image') await checkImageClassifier(dir, manifest);
    else if (manifest.kind === 'classifier-text') await checkTextClassifier(dir, manifest);
    else if (manifest.kind === 'text-recognition') await checkTextRecognizer(dir, manifest);
    else if (manifest.kind === 'tensor') await checkTensorModel(dir, manifest);
    else await checkTranslator(dir, manifest);
    return { ok: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, code: 'model-invalid', message: `model in ${dir} failed its check run: ${reason}` };
  }
}

export function int64Tensor(rows: number[][]): ort.Tensor {
  const width = rows[0]?.length ?? 0;
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, width]);
}

async function checkImageClassifier(dir: string, m: ClassifierImageManifest): Promise<void> {
  const batch = 2;
  const count = batch * m.instanceShape.reduce((a, b) => a * b, 1);
  const pixels = Float32Array.from({ length: count }, (_, i) => ((i * 7919) % 255) / 255);
  const feeds = { [m.inputName]: new ort.Tensor('float32', pixels, [batch, ...m.instanceShape]) };
  const out = await runOnce(join(dir, m.file), feeds, [m.outputName]);
  expectShape(out, m.outputName, [batch, m.classes]);
}

/** Two blank lines of the narrowest batch width → [2, width/8, blank + characters + space] probabilities. */
async function checkTextRecognizer(dir: string, m: TextRecognitionManifest): Promise<void> {
  const classes = ctcCharacters(readFileSync(join(dir, m.characters), 'utf8')).length;
  const pixels = new Float32Array(2 * 3 * m.height * m.minWidth).fill(1);
  const out = await runOnce(join(dir, m.file), { [m.inputName]: new ort.Tensor('float32', pixels, [2, 3, m.height, m.minWidth]) }, [m.outputName]);
  expectShape(out, m.outputName, [2, m.minWidth / 8, classes]);
}

/** Two items (one when the batch is fixed at 1) of the warm-up shapes: every output there, batched, finite. */
async function checkTensorModel(dir: string, m: TensorManifest): Promise<void> {
  const feeds = tensorFeeds(m, 2, 1);
  const out = await runOnce(join(dir, m.file), feeds, m.outputs.map((o) => o.name));
  checkTensorOutputs(m, out, m.unbatched ? 1 : 2);
}

async function checkTextClassifier(dir: string, m: ClassifierTextManifest): Promise<void> {
  const word = (fraction: number): number => Math.floor(m.vocabSize * fraction);
  const ids = [
    [m.clsId, word(0.3), word(0.5), word(0.7), m.sepId, m.padId],
    [m.clsId, word(0.4), word(0.6), m.sepId, m.padId, m.padId],
  ];
  const feeds = textFeeds(ids, m.padId);
  const out = await runOnce(join(dir, m.file), pick(feeds, m.inputNames), [m.outputName]);
  expectShape(out, m.outputName, [ids.length, m.classes]);
}

/** input_ids plus the usual companions, derived from padding. */
function textFeeds(ids: number[][], padId: number): Feeds {
  return {
    input_ids: int64Tensor(ids),
    attention_mask: int64Tensor(ids.map((row) => row.map((id) => (id === padId ? 0 : 1)))),
    token_type_ids: int64Tensor(ids.map((row) => row.map(() => 0))),
  };
}

async function checkTranslator(dir: string, m: TranslatorManifest): Promise<void> {
  const source = [[10, 20, 30, 40, m.eosId]];
  const mask = int64Tensor([source[0]!.map(() => 1)]);
  const encoded = await runOnce(join(dir, m.files.encoder), { input_ids: int64Tensor(source), attention_mask: mask }, ['last_hidden_state']);
  expectShape(encoded, 'last_hidden_state', [1, source[0]!.length, m.dModel]);
  const hidden = encoded['last_hidden_state']!;
  const common = { encoder_attention_mask: mask, encoder_hidden_states: hidden };
  const first = await runOnce(join(dir, m.files.decoder), { ...common, input_ids: int64Tensor([[m.padId]]) }, ['logits', 'present.0.decoder.key']);
  expectShape(first, 'logits', [1, 1, m.vocabSize]);
  const past = pastFromPresent(first, m.layers);
  const step = await runOnce(join(dir, m.files.decoderWithPast), { ...common, input_ids: int64Tensor([[5]]), ...past }, ['logits']);
  expectShape(step, 'logits', [1, 1, m.vocabSize]);
  expectShape(step, `present.${m.layers - 1}.decoder.key`, [1, m.heads, 2, m.dModel / m.heads]);
}

/** present.{i}.* outputs of one decoder step become past_key_values.{i}.* inputs of the next. */
export function pastFromPresent(outputs: Outputs, layers: number): Feeds {
  const feeds: Feeds = {};
  for (let i = 0; i < layers; i++) {
    for (const part of ['decoder.key', 'decoder.value', 'encoder.key', 'encoder.value']) {
      const value = outputs[`present.${i}.${part}`];
      if (!value) throw new Error(`decoder output present.${i}.${part} is missing`);
      feeds[`past_key_values.${i}.${part}`] = value;
    }
  }
  return feeds;
}

/** Loads one file, checks the expected outputs exist, runs it on the feeds it takes. */
async function runOnce(path: string, feeds: Feeds, expectedOutputs: string[]): Promise<Outputs> {
  const session = await ort.InferenceSession.create(path, SESSION_OPTIONS);
  try {
    const missingIn = session.inputNames.filter((n) => !(n in feeds));
    if (missingIn.length > 0) throw new Error(`${path} needs inputs this kind of model does not have: ${missingIn.join(', ')}`);
    const missingOut = expectedOutputs.filter((n) => !session.outputNames.includes(n));
    if (missingOut.length > 0) throw new Error(`${path} lacks outputs ${missingOut.join(', ')}`);
    return await session.run(pick(feeds, session.inputNames));
  } finally {
    await session.release();
  }
}

function pick(feeds: Feeds, names: readonly string[]): Feeds {
  return Object.fromEntries(names.filter((n) => n in feeds).map((n) => [n, feeds[n]!]));
}

function expectShape(outputs: Outputs, name: string, dims: number[]): void {
  const tensor = outputs[name];
  if (!tensor) throw new Error(`output ${name} is missing`);
  if (tensor.dims.join(',') !== dims.join(',')) throw new Error(`output ${name} has shape [${tensor.dims.join(', ')}], expected [${dims.join(', ')}]`);
  const data = tensor.data as Float32Array;
  if (!data.every(Number.isFinite)) throw new Error(`output ${name} has non-finite values`);
}
