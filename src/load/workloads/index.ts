import { readFileSync } from 'node:fs';
import type { ModelKind } from '../../models/manifest.ts';
import { bodyCycle, poolSizeFor, type BodyFrame } from './body-pool.ts';
import { chineseSentence } from './chinese-sentences.ts';
import { cifarLikeImage, digitLikeImage, imageJson, resize } from './images.ts';
import { uniformSource } from '../../random/rng.ts';
import { tweet } from './tweets.ts';
import { describeTensorInputs, tensorInstance, type TensorInputs } from './tensor.ts';
import { isTextLineModel, textLineGenerator } from './text-lines.ts';
import { readWorkloadFile, type WorkloadError } from './user-file.ts';

export type { WorkloadError, WorkloadErrorCode } from './user-file.ts';

export interface Workload {
  bodies: () => string; // the next request body, {"instances": [...]}
  describe: string; // one line for logs and reports
}

export type WorkloadOutcome = { ok: true; workload: Workload } | { ok: false; error: WorkloadError };

export interface WorkloadOptions {
  seed?: number; // used when no random source is given; default 1
  random?: () => number; // uniform in [0, 1)
  instancesPerRequest?: number; // client-side batching; default 1
  file?: string; // a user's JSON-lines workload instead of the built-in one
  readText?: (path: string) => string; // default: read the file as UTF-8
  /** Recorded instances (JSON texts, already checked against the model) replayed in order instead of generated ones. */
  recorded?: { instances: readonly string[]; source: string };
  frame?: BodyFrame; // how a body wraps its instances; default V1's {"instances": [...]}
}

/** A built-in model name, a manifest kind, or a manifest (its kind, image shape or tensor inputs are what matter). */
export type WorkloadModel = string | { kind: ModelKind; instanceShape?: [number, number, number]; tensor?: TensorInputs };

const TEXT_POOL = 512;
const IMAGE_POOL = 16;

export function workloadFor(model: WorkloadModel, options: WorkloadOptions = {}): WorkloadOutcome {
  const perRequest = Math.max(1, Math.floor(options.instancesPerRequest ?? 1));
  if (options.recorded !== undefined) return recordedWorkload(options.recorded.instances, options.recorded.source, perRequest, options.frame);
  if (options.file !== undefined) return userWorkload(options.file, perRequest, options.readText, options.frame);
  const random = options.random ?? uniformSource(options.seed ?? 1);
  const generator = builtInGenerator(model);
  if (generator === undefined) {
    const message = `no built-in workload for model "${describeModel(model)}": use marian, bert, resnet, gan or ocr, or pass a workload file`;
    return { ok: false, error: { code: 'unknown_model', message } };
  }
  const instances = Array.from({ length: generator.poolSize }, () => generator.instance(random));
  const maxBodies = poolSizeFor((instances[0]?.length ?? 1) * perRequest, generator.poolSize);
  const seedNote = options.random ? 'injected random source' : `seed ${options.seed ?? 1}`;
  return {
    ok: true,
    workload: {
      bodies: bodyCycle(instances, perRequest, maxBodies, options.frame),
      describe: `${generator.describe}, ${perRequest} per request, ${seedNote}`,
    },
  };
}

interface Generator {
  instance: (random: () => number) => string;
  poolSize: number;
  describe: string;
}

function builtInGenerator(model: WorkloadModel): Generator | undefined {
  const kind = typeof model === 'string' ? model : model.kind;
  if (kind === 'marian' || kind === 'translator') {
    return { instance: (r) => JSON.stringify({ text: chineseSentence(r) }), poolSize: TEXT_POOL, describe: 'short Chinese sentences (Tatoeba-like lengths)' };
  }
  if (kind === 'bert' || kind === 'classifier-text') {
    return { instance: (r) => JSON.stringify({ text: tweet(r) }), poolSize: TEXT_POOL, describe: 'tweet-length English texts' };
  }
  if (kind === 'gan') return imageGenerator([32, 32, 3]);
  if (kind === 'resnet') return imageGenerator([224, 224, 3]);
  if (kind === 'tensor' && typeof model !== 'string' && model.tensor) return tensorGenerator(model.tensor);
  if (kind === 'classifier-image' && typeof model !== 'string') return imageGenerator(model.instanceShape ?? [224, 224, 3]);
  if (isTextLineModel(model)) return textLineGenerator();
  return undefined;
}

function tensorGenerator(model: TensorInputs): Generator {
  return { instance: (r) => tensorInstance(model, r), poolSize: IMAGE_POOL, describe: describeTensorInputs(model) };
}

/** 32×32 inputs get house-number digits (the GAN's SVHN); larger ones upscaled CIFAR-like pictures. */
function imageGenerator([height, width]: [number, number, number]): Generator {
  const digits = height <= 32 && width <= 32;
  return {
    instance: (r) => imageJson(resize(digits ? digitLikeImage(r) : cifarLikeImage(r), height, width)),
    poolSize: IMAGE_POOL,
    describe: `${height}×${width}×3 ${digits ? 'SVHN-like digit' : 'CIFAR-like upscaled'} images`,
  };
}

function userWorkload(file: string, perRequest: number, readText?: (path: string) => string, frame?: BodyFrame): WorkloadOutcome {
  const read = readWorkloadFile(file, readText ?? ((path) => readFileSync(path, 'utf8')));
  if (!read.ok) return read;
  return recordedWorkload(read.instances, file, perRequest, frame);
}

/**
 * Replays recorded instances in the file's order, `perRequest` consecutive ones per body, cycling back to the first
 * after the last. Every instance is sent, unless the bodies of a very large file would pass 64 MB in memory: then
 * only the leading instances that fit are cycled.
 */
function recordedWorkload(instances: readonly string[], source: string, perRequest: number, frame?: BodyFrame): WorkloadOutcome {
  const bodies = Math.ceil(instances.length / perRequest);
  return {
    ok: true,
    workload: {
      bodies: bodyCycle(instances, perRequest, poolSizeFor(maxLength(instances) * perRequest, bodies), frame),
      describe: `${instances.length} recorded instances from ${source}, ${perRequest} per request, in file order`,
    },
  };
}

function maxLength(items: readonly string[]): number {
  return items.reduce((longest, item) => Math.max(longest, item.length), 1);
}

function describeModel(model: WorkloadModel): string {
  return typeof model === 'string' ? model : model.kind;
}
