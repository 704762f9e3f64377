/**
 * Where a user's model may come from. tune links a model's files into its cache and mounts them into
 * containers, so a path must mean what it says: the model must lie under the allowed directory (the working
 * directory, or TUNE_MODEL_ROOT), and no file it is made of may be a symlink leading out of it.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { HF_FILES } from './hf-config.ts';
import { modelError, type ModelError } from './model-error.ts';

export const MODEL_ROOT_ENV = 'TUNE_MODEL_ROOT';

/** Files read from beside a single .onnx file (vocabulary facts); they must stay inside the root too. */
const SIDECARS: readonly string[] = Object.values(HF_FILES);

export function defaultModelRoot(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return env[MODEL_ROOT_ENV] || cwd;
}

/** Why `path` (an existing .onnx file or export folder) may not be used, or undefined when it may. */
export function confinementProblem(path: string, root: string): ModelError | undefined {
  if (!existsSync(root)) return modelError('model-not-allowed', `the allowed model directory ${root} does not exist: create it or set ${MODEL_ROOT_ENV}`);
  const realRoot = realpathSync(root);
  const inside = (file: string) => isWithin(realpathSync(file), realRoot);
  if (!inside(path)) {
    return modelError('model-not-allowed', `model path ${path} is outside the allowed directory ${realRoot}: move the model under it or set ${MODEL_ROOT_ENV}=<a directory holding it>`);
  }
  const escaping = partsOf(path).find((file) => !inside(file));
  if (escaping === undefined) return undefined;
  return modelError('model-not-allowed', `${escaping} is a symlink to ${realpathSync(escaping)}, outside the allowed directory ${realRoot}: copy the file in instead`);
}

/** A folder's entries, or a file with the sidecars beside it. */
function partsOf(path: string): string[] {
  if (statSync(path).isDirectory()) return readdirSync(path).map((name) => join(path, name));
  const folder = dirname(path);
  return [path, ...SIDECARS.filter((name) => name !== basename(path)).map((name) => join(folder, name)).filter((file) => existsSync(file))];
}

function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
