/**
 * Loads a model directory: reads manifest.json, opens the ONNX Runtime sessions it names, and puts the
 * matching runner behind a batcher. Only files inside the model directory are read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, type ModelManifest } from '../models/manifest.ts';
import type { BatchObserver } from './batcher.ts';
import type { Clock } from './clock.ts';
import { ImageRunner } from './runners/image-runner.ts';
import type { Runner } from './runners/runner.ts';
import { TextRunner } from './runners/text-runner.ts';
import type { Tokenize } from './runners/token-instance.ts';
import { TranslatorRunner } from './runners/translator-runner.ts';
import { ServedModel, type BatchingConfig, type LoadedModel } from './served-model.ts';
import type { OpenSession } from './session.ts';

export type LoadFailureCode = 'manifest_missing' | 'manifest_invalid' | 'model_file_missing';
export type ManifestResult = { ok: true; manifest: ModelManifest } | { ok: false; code: LoadFailureCode; message: string };

/** Reads a tokenizer for a manifest that names one; undefined when the model has none. */
export type TokenizerLoader = (modelDir: string, manifest: ModelManifest) => Tokenize | undefined;

export interface LoadDeps {
  openSession: OpenSession;
  loadTokenizer: TokenizerLoader;
  clock: Clock;
  observer?: BatchObserver;
}



const KINDS = ['translator', 'classifier-image', 'classifier-text'];

export function readManifest(modelDir: string): ManifestResult {
  const path = join(modelDir, MANIFEST_FILE);
  if (!existsSync(path)) return { ok: false, code: 'manifest_missing', message: `${path} does not exist: build the model or point TUNE_MODEL_DIR at it` };
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
  } catch (error) {
    return { ok: false, code: 'manifest_invalid', message: `${path} is not valid JSON: ${(error as Error).message}` };
  }
  if (!KINDS.includes(manifest?.kind)) {
    return { ok: false, code: 'manifest_invalid', message: `${path} has kind ${JSON.stringify(manifest?.kind)}: expected one of ${KINDS.join(', ')}` };
  }
  const missing = modelFiles(manifest).find((file) => !existsSync(join(modelDir, file)));
  if (missing !== undefined) return { ok: false, code: 'model_file_missing', message: `${join(modelDir, missing)} named by the manifest does not exist` };
  return { ok: true, manifest };
}

/** Something to do with a runner of any instance type (the model kind decides which). */
export type RunnerUse<T> = <I>(runner: Runner<I>) => T | Promise<T>;

/** Opens the model's sessions and hands the matching runner to `use`. */
export async function openRunner<T>(modelDir: string, manifest: ModelManifest, deps: Omit<LoadDeps, 'clock' | 'observer'>, use: RunnerUse<T>): Promise<T> {
  const open = (file: string) => deps.openSession(join(modelDir, file));
  const tokenize = deps.loadTokenizer(modelDir, manifest);
  switch (manifest.kind) {
    case 'classifier-image':
      return use(new ImageRunner(manifest, await open(manifest.file)));
    case 'classifier-text':
      return use(new TextRunner(manifest, await open(manifest.file), tokenize));
    case 'translator': {
      const [encoder, decoder, decoderWithPast] = await Promise.all([
        open(manifest.files.encoder),
        open(manifest.files.decoder),
        open(manifest.files.decoderWithPast),
      ]);
      return use(new TranslatorRunner(manifest, { encoder, decoder, decoderWithPast }, tokenize));
    }
  }
}

/** The model's runner behind a batcher, ready for warm-up. */
export function loadModel(modelDir: string, manifest: ModelManifest, batching: BatchingConfig, deps: LoadDeps): Promise<LoadedModel> {
  return openRunner<LoadedModel>(modelDir, manifest, deps, (runner) => new ServedModel(runner, batching, deps.clock, deps.observer));
}

function modelFiles(manifest: ModelManifest): string[] {
  const files = manifest.kind === 'translator' ? Object.values(manifest.files ?? {}) : [manifest.file];
  const tokenizer = manifest.kind === 'classifier-image' ? undefined : manifest.tokenizer;
  return tokenizer ? [...files, tokenizer] : files;
}
