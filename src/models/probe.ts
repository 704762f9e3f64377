/**
 * Runs a model directory on deterministic sample inputs and reports each input's top-1 class (for a
 * translator: the first two greedily decoded tokens, the second through decoder_with_past). Used to
 * compare int8 with fp32 and to time single requests.
 */
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import type { ClassifierImageManifest, ClassifierTextManifest, ModelManifest, TranslatorManifest } from './manifest.ts';
import { int64Tensor, pastFromPresent } from './validate.ts';
import { tensorFeeds } from './tensor-check.ts';
import type { TensorManifest, TextRecognitionManifest } from './manifest.ts';
import { sampleImage } from './sample-image.ts';
import { mulberry32 } from './weights.ts';

type Feeds = Record<string, ort.Tensor>;

export interface ProbeResult {
  /** Top-1 class, or a translator's first two greedily decoded tokens. */
  top: number[];
  /** The classifier's logits, or the translator's first-step logits. */
  logits: Float32Array;
}

export interface Probe {
  /** Runs sample input `index` at batch 1. */
  run(index: number): Promise<ProbeResult>;
  release(): Promise<void>;
}

export const SINGLE_THREAD: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };

export async function openProbe(dir: string, manifest: ModelManifest, options: ort.InferenceSession.SessionOptions = SINGLE_THREAD): Promise<Probe> {
  if (manifest.kind === 'translator') return translatorProbe(dir, manifest, options);
  if (manifest.kind === 'tensor') return tensorProbe(dir, manifest, options);
  if (manifest.kind === 'text-recognition') return textLineProbe(dir, manifest, options);
  const session = await ort.InferenceSession.create(join(dir, manifest.file), options);
  const make = manifest.kind === 'classifier-image' ? (i: number) => imageFeeds(manifest, i) : (i: number) => textFeeds(manifest, i);
  const feeds = memoize(make); // inputs are made once, outside timed runs
  return {
    run: async (index) => {
      const logits = (await session.run(feeds(index)))[manifest.outputName]!.data as Float32Array;
      return { top: [argmax(logits)], logits };
    },
    release: () => session.release(),
  };
}

function memoize<T>(make: (index: number) => T): (index: number) => T {
  const made = new Map<number, T>();
  return (index) => made.get(index) ?? made.set(index, make(index)).get(index)!;
}

/** Reference logits at or below this are ruled-out tokens (e.g. Marian's EOS bias), not data. */
const RULED_OUT = -1e3;

/** ‖a − b‖ / ‖b‖ over the tokens not ruled out: the relative error of logits `a` against reference `b`. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    if ((b[i] as number) <= RULED_OUT) continue;
    diff += ((a[i] as number) - (b[i] as number)) ** 2;
    norm += (b[i] as number) ** 2;
  }
  return Math.sqrt(diff / norm);
}

export function argmax(values: Float32Array, from = 0, to = values.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best - from;
}

function imageFeeds(m: ClassifierImageManifest, index: number): Feeds {
  return { [m.inputName]: new ort.Tensor('float32', sampleImage(m.instanceShape, index), [1, ...m.instanceShape]) };
}

/** [CLS] + 8–39 random word ids + [SEP]. */
function textFeeds(m: ClassifierTextManifest, index: number): Feeds {
  const ids = [m.clsId, ...sampleIds(index, 1000, m.vocabSize), m.sepId];
  const all: Feeds = { input_ids: int64Tensor([ids]), attention_mask: int64Tensor([ids.map(() => 1)]), token_type_ids: int64Tensor([ids.map(() => 0)]) };
  return Object.fromEntries(m.inputNames.map((n) => [n, all[n]!]));
}

function sampleIds(index: number, low: number, high: number): number[] {
  const next = mulberry32(2000 + index);
  const length = 8 + Math.floor(next() * 32);
  return Array.from({ length }, () => low + Math.floor(next() * (high - low)));
}

/** Seeded inputs of the warm-up shapes; `top` is the first output's argmax, `logits` its values. */
async function tensorProbe(dir: string, m: TensorManifest, options: ort.InferenceSession.SessionOptions): Promise<Probe> {
  const session = await ort.InferenceSession.create(join(dir, m.file), options);
  const feeds = memoize((index: number) => tensorFeeds(m, 1, 2000 + index));
  const first = m.outputs[0]!.name;
  return {
    run: async (index) => {
      const logits = Float32Array.from((await session.run(feeds(index)))[first]!.data as ArrayLike<number>, Number);
      return { top: [argmax(logits)], logits };
    },
    release: () => session.release(),
  };
}

/** A seeded noise line of the narrowest batch width; `top` is every frame's best class (the CTC path), `logits` the probabilities. */
async function textLineProbe(dir: string, m: TextRecognitionManifest, options: ort.InferenceSession.SessionOptions): Promise<Probe> {
  const session = await ort.InferenceSession.create(join(dir, m.file), options);
  const feeds = memoize((index: number): Feeds => {
    const next = mulberry32(2000 + index);
    const pixels = Float32Array.from({ length: 3 * m.height * m.minWidth }, () => next() * 2 - 1);
    return { [m.inputName]: new ort.Tensor('float32', pixels, [1, 3, m.height, m.minWidth]) };
  });
  return {
    run: async (index) => {
      const output = (await session.run(feeds(index)))[m.outputName]!;
      const [frames = 0, classes = 0] = output.dims.slice(1);
      const logits = output.data as Float32Array;
      return { top: Array.from({ length: frames }, (_, t) => argmax(logits, t * classes, (t + 1) * classes)), logits };
    },
    release: () => session.release(),
  };
}

async function translatorProbe(dir: string, m: TranslatorManifest, options: ort.InferenceSession.SessionOptions): Promise<Probe> {
  const files = [m.files.encoder, m.files.decoder, m.files.decoderWithPast];
  const [encoder, decoder, withPast] = await Promise.all(files.map((f) => ort.InferenceSession.create(join(dir, f), options)));
  const pick = (s: ort.InferenceSession, feeds: Feeds): Feeds => Object.fromEntries(s.inputNames.map((n) => [n, feeds[n]!]));
  const run = async (index: number): Promise<ProbeResult> => {
    const source = [...sampleIds(index, 1, m.vocabSize - 1), m.eosId];
    const mask = int64Tensor([source.map(() => 1)]);
    const hidden = (await encoder!.run({ input_ids: int64Tensor([source]), attention_mask: mask }))['last_hidden_state']!;
    const common = { encoder_attention_mask: mask, encoder_hidden_states: hidden };
    const first = await decoder!.run(pick(decoder!, { ...common, input_ids: int64Tensor([[m.padId]]) }));
    const logits = first['logits']!.data as Float32Array;
    const token1 = argmax(logits);
    const second = await withPast!.run(pick(withPast!, { ...common, input_ids: int64Tensor([[token1]]), ...pastFromPresent(first, m.layers) }));
    return { top: [token1, argmax(second['logits']!.data as Float32Array)], logits };
  };
  return { run, release: async () => void (await Promise.all([encoder, decoder, withPast].map((s) => s!.release()))) };
}
