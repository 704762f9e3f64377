/**
 * Stages a user's model into the cache: `<cacheDir>/models/user/<name>-<key>/` holds hard links to (or
 * copies of) the user's files plus the inferred manifest.json. The key hashes the source paths, sizes,
 * mtimes and precision, so an edited file gets a fresh directory. Staged in a temp dir, checked in
 * onnxruntime, then renamed into place.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MANIFEST_FILE, type ModelManifest } from './manifest.ts';
import { makeScratchDir } from './scratch-dir.ts';
import { modelError, type ModelError } from './model-error.ts';
import { validateModel } from './validate.ts';

export type Staged = { ok: true; dir: string; manifest: ModelManifest } | { ok: false; error: ModelError };

/** source path → file name inside the staged directory. */
export type FileMap = Record<string, string>;

export function userModelDir(cacheDir: string, source: string, files: FileMap, precision: string): string {
  const hash = createHash('sha256').update(precision);
  for (const path of Object.keys(files).sort()) {
    const stat = statSync(path);
    hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\0`);
  }
  const name = basename(source).replace(/\.onnx$/, '').replace(/[^A-Za-z0-9._-]/g, '_');
  return join(cacheDir, 'models', 'user', `${name}-${hash.digest('hex').slice(0, 12)}`);
}

/** An already staged directory, if there is one. */
export function readStaged(dir: string): ModelManifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ModelManifest) : undefined;
}

export async function stage(dir: string, files: FileMap, manifest: ModelManifest, extra: Record<string, string> = {}): Promise<Staged> {
  const tmp = makeScratchDir(dir);
  try {
    for (const [source, name] of Object.entries(files)) linkOrCopy(source, join(tmp, name));
    for (const [name, text] of Object.entries(extra)) writeFileSync(join(tmp, name), text);
    writeFileSync(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const checked = await validateModel(tmp, manifest);
    if (!checked.ok) return { ok: false, error: modelError(checked.code, checked.message.replace(tmp, Object.keys(files)[0] ?? tmp)) };
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return { ok: true, dir, manifest };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A hard link costs no space; across file systems fall back to a copy. */
function linkOrCopy(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch {
    copyFileSync(source, target);
  }
}
