/**
 * Turns what the user typed into a served model directory: a built-in name (built and cached), a
 * path to an .onnx classifier (or a folder holding one model.onnx), or an Optimum seq2seq export folder. Problems come back as one-line
 * errors with stable codes, never as exceptions.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isBuiltinModel } from './builder.ts';
import { defaultCacheDir, ensureModel } from './build.ts';
import { MANIFEST_FILE, type ModelManifest, type Precision } from './manifest.ts';
import { MODEL_HINT, modelError } from './model-error.ts';
import { confinementProblem, defaultModelRoot } from './model-root.ts';
import type { ShapeHints } from './tensor-spec.ts';
import type { Staged } from './user-cache.ts';
import { resolveOnnxFile } from './user-file.ts';
import { OPTIMUM_FILES, resolveOptimumFolder } from './user-optimum.ts';

const SINGLE_MODEL_FILE = 'model.onnx';

export interface ResolveOptions {
  precision: Precision;
  cacheDir?: string;
  /** Seed of a built-in model's synthetic weights. */
  seed?: number;
  /** The directory a user's model must lie under (default: TUNE_MODEL_ROOT, else the working directory). */
  modelRoot?: string;
  /** What fixes a user tensor model's dynamic dims: --input-shape, the recorded workload's sample shapes. */
  hints?: ShapeHints;
}

export type ResolvedModel = Staged;

export async function resolveModel(nameOrPath: string, options: ResolveOptions): Promise<ResolvedModel> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  if (isBuiltinModel(nameOrPath)) {
    const seed = options.seed === undefined ? {} : { seed: options.seed };
    const dir = await ensureModel({ model: nameOrPath, precision: options.precision, cacheDir, ...seed });
    return { ok: true, dir, manifest: JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest };
  }
  const path = resolve(nameOrPath);
  if (!existsSync(path)) {
    const what = nameOrPath.endsWith('.onnx') ? 'model file' : 'model';
    return { ok: false, error: modelError('model-not-found', `${what} not found: ${path} (${MODEL_HINT})`) };
  }
  const refused = confinementProblem(path, options.modelRoot ?? defaultModelRoot());
  if (refused) return { ok: false, error: refused };
  if (!statSync(path).isDirectory()) return resolveOnnxFile(path, options.precision, cacheDir, options.hints);
  // An Optimum classifier export is a folder with one model.onnx (plus config.json / vocab files).
  const single = join(path, SINGLE_MODEL_FILE);
  if (!existsSync(join(path, OPTIMUM_FILES.encoder)) && existsSync(single)) return resolveOnnxFile(single, options.precision, cacheDir, options.hints);
  return resolveOptimumFolder(path, options.precision, cacheDir);
}
