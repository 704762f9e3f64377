/**
 * Loads a model directory: reads manifest.json, opens the ONNX Runtime sessions it names, and puts the
 * matching runner behind a batcher. Only files inside the model directory are read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { MANIFEST_FILE, type ModelManifest } from '../models/manifest.ts';
import { loadDetokenizer } from '../models/tokenizer.ts';
import { tokenizerFiles } from '../models/tokenizer-spec.ts';
import type { BatchObserver } from './batcher.ts';
import type { Clock } from './clock.ts';
import { ImageRunner } from './runners/image-runner.ts';
import { instanceParser } from './runners/parsers.ts';
import type { BatchRunner, ReloadableBatchRunner, Runner } from './runners/runner.ts';
import { TensorRunner } from './runners/tensor-runner.ts';
import { TextRecognitionRunner } from './runners/text-recognition-runner.ts';
import { TextRunner } from './runners/text-runner.ts';
import type { Tokenize } from './runners/token-instance.ts';
import { TranslatorRunner } from './runners/translator-runner.ts';
import { ServedModel, type BatchingConfig, type LoadedModel } from './served-model.ts';
import type { OpenSession } from './session.ts';

export type LoadFailureCode = 'manifest_missing' | 'manifest_invalid' | 'model_file_missing';
export type ManifestResult = { ok: true; manifest: ModelManifest } | { ok: false; code: LoadFailureCode; message: string };

/** Reads a tokenizer for a manifest that names one; undefined when the model has none. */
export type TokenizerLoader = (modelDir: string, manifest: ModelManifest) => Promise<Tokenize | undefined>;

/** Opens a model's sessions and its kind's batch runner, on whichever thread inference runs; its sessions can be reopened with other options. */
export type OpenBatchRunner = (modelDir: string, manifest: ModelManifest) => Promise<ReloadableBatchRunner<unknown>>;

export interface LoadDeps {
  openBatchRunner: OpenBatchRunner;
  loadTokenizer: TokenizerLoader;
  clock: Clock;
  observer?: BatchObserver;
}

const KINDS = ['translator', 'classifier-image', 'classifier-text', 'tensor', 'text-recognition'];

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
  const outside = modelFiles(manifest).find((file) => typeof file !== 'string' || isAbsolute(file) || file.split(/[\\/]/).includes('..'));
  if (outside !== undefined) return { ok: false, code: 'manifest_invalid', message: `${path} names ${JSON.stringify(outside)}: model files must be plain names inside ${modelDir}` };
  const missing = modelFiles(manifest).find((file) => !existsSync(join(modelDir, file)));
  if (missing !== undefined) return { ok: false, code: 'model_file_missing', message: `${join(modelDir, missing)} named by the manifest does not exist` };
  return { ok: true, manifest };
}

/** The batch runner of the manifest's kind over sessions opened here, in this thread. */
export async function openBatchRunner(modelDir: string, manifest: ModelManifest, openSession: OpenSession): Promise<BatchRunner<unknown>> {
  const open = (file: string) => openSession(join(modelDir, file));
  switch (manifest.kind) {
    case 'classifier-image':
      return new ImageRunner(manifest, await open(manifest.file));
    case 'classifier-text':
      return new TextRunner(manifest, await open(manifest.file));
    case 'tensor':
      return new TensorRunner(manifest, await open(manifest.file));
    case 'text-recognition':
      return TextRecognitionRunner.open(modelDir, manifest, await open(manifest.file));
    case 'translator': {
      const [encoder, decoder, decoderWithPast] = await Promise.all([
        open(manifest.files.encoder),
        open(manifest.files.decoder),
        open(manifest.files.decoderWithPast),
      ]);
      return new TranslatorRunner(manifest, { encoder, decoder, decoderWithPast }, await loadDetokenizer(modelDir, manifest));
    }
  }
}

/** Parser and batch runner together in this thread, for in-process use (fidelity checks, benchmarks). */
export async function openRunner(modelDir: string, manifest: ModelManifest, deps: { openSession: OpenSession; loadTokenizer: TokenizerLoader }): Promise<Runner<unknown>> {
  const parser = instanceParser(manifest, await deps.loadTokenizer(modelDir, manifest));
  const batches = await openBatchRunner(modelDir, manifest, deps.openSession);
  return { parse: (instance) => parser.parse(instance), warmUpInstance: () => parser.warmUpInstance(), run: (batch) => batches.run(batch), close: () => batches.close() };
}

/** The model's parser and batch runner behind a batcher, ready for warm-up. */
export async function loadModel(modelDir: string, manifest: ModelManifest, batching: BatchingConfig, deps: LoadDeps): Promise<LoadedModel> {
  const parser = instanceParser(manifest, await deps.loadTokenizer(modelDir, manifest));
  const runner = await deps.openBatchRunner(modelDir, manifest);
  return new ServedModel(parser, runner, batching, deps.clock, deps.observer);
}

function modelFiles(manifest: ModelManifest): string[] {
  const files = manifest.kind === 'translator' ? Object.values(manifest.files ?? {}) : manifest.kind === 'text-recognition' ? [manifest.file, manifest.characters] : [manifest.file];
  return [...files, ...tokenizerFiles(manifest.kind === 'translator' || manifest.kind === 'classifier-text' ? manifest.tokenizer : undefined)];
}
