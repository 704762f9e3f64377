/**
 * Where a study's model comes from: a built-in name (built on demand, synthetic weights) or a directory
 * holding manifest.json. Resolving it to one directory per precision is the only slow, side-effecting step.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILTIN_MODELS, ensureModel, isBuiltinModel, MANIFEST_FILE, type BuiltinModel, type ModelManifest, type Precision } from '../models/index.ts';
import { modelSlug } from '../study/study-name.ts';
import { usageError } from './cli-error.ts';
import { listOf } from './option-parsers.ts';

export type ModelSource =
  | { kind: 'builtin'; name: BuiltinModel; servedName: string }
  | { kind: 'directory'; path: string; servedName: string; manifest: ModelManifest };

export function modelSource(nameOrPath: string): ModelSource {
  if (isBuiltinModel(nameOrPath)) return { kind: 'builtin', name: nameOrPath, servedName: nameOrPath };
  const path = resolve(nameOrPath);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw usageError(`unknown model "${nameOrPath}": use ${listOf(BUILTIN_MODELS)}, or a directory holding ${MANIFEST_FILE}`);
  }
  const manifestPath = join(path, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw usageError(`${nameOrPath} has no ${MANIFEST_FILE}: a model directory must describe its files there`);
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
  } catch (error) {
    throw usageError(`${manifestPath} is not valid JSON: ${(error as Error).message}`);
  }
  return { kind: 'directory', path, servedName: modelSlug(nameOrPath), manifest };
}

/** A directory holds one precision; a space that may choose another cannot run on it. */
export function checkPrecisions(source: ModelSource, precisions: readonly Precision[]): void {
  if (source.kind !== 'directory') return;
  const other = precisions.find((p) => p !== source.manifest.precision);
  if (other) {
    throw usageError(`${source.path} holds a ${source.manifest.precision} model only, but the space may choose ${other}: pass --precision ${source.manifest.precision}`);
  }
}

/** Builds missing built-in models; returns the directory for each precision. */
export async function modelDirectories(source: ModelSource, precisions: readonly Precision[], cacheDir?: string): Promise<Map<Precision, string>> {
  const dirs = new Map<Precision, string>();
  for (const precision of precisions) {
    const dir = source.kind === 'directory' ? source.path : await ensureModel({ model: source.name, precision, ...(cacheDir ? { cacheDir } : {}) });
    dirs.set(precision, dir);
  }
  return dirs;
}

/** Trials only ask for precisions prepared up front; anything else is a configuration the study cannot run. */
export function directoryFor(dirs: ReadonlyMap<Precision, string>, precision: Precision): string {
  const dir = dirs.get(precision);
  if (dir === undefined) throw new RangeError(`no ${precision} model was prepared for this study`);
  return dir;
}

export function describeSource(source: ModelSource): string {
  return source.kind === 'builtin' ? `${source.name} (built-in, synthetic weights)` : `${source.path} (${source.manifest.kind})`;
}
