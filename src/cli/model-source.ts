/**
 * Where a study's model comes from: a built-in name (built on demand, synthetic weights) or a path to the
 * user's .onnx file or export folder. Checking it is cheap (for --dry-run); resolving it to one served
 * directory per precision (building, quantizing, staging) happens only when the study runs.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isBuiltinModel, resolveModel, type BuiltinModel, type ModelManifest, type Precision } from '../models/index.ts';
import { MODEL_HINT } from '../models/model-error.ts';
import { confinementProblem, defaultModelRoot } from '../models/model-root.ts';
import { modelSlug } from '../study/study-name.ts';
import { CliError, usageError } from './cli-error.ts';

export type ModelSource =
  | { kind: 'builtin'; name: BuiltinModel; servedName: string }
  | { kind: 'path'; path: string; servedName: string };

export function modelSource(nameOrPath: string): ModelSource {
  if (isBuiltinModel(nameOrPath)) return { kind: 'builtin', name: nameOrPath, servedName: nameOrPath };
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw usageError(`unknown model "${nameOrPath}": ${MODEL_HINT}`);
  const refused = confinementProblem(path, defaultModelRoot());
  if (refused) throw usageError(refused.message);
  return { kind: 'path', path, servedName: modelSlug(nameOrPath) };
}

export interface PreparedModel {
  dirs: ReadonlyMap<Precision, string>;
  manifest: ModelManifest; // of the first precision: the kind and input shape the workload needs
}

/** Builds, quantizes or stages the model once per precision the study may use. */
export async function prepareModel(source: ModelSource, precisions: readonly Precision[]): Promise<PreparedModel> {
  const dirs = new Map<Precision, string>();
  let manifest: ModelManifest | undefined;
  for (const precision of precisions) {
    const resolved = await resolveModel(source.kind === 'builtin' ? source.name : source.path, { precision });
    if (!resolved.ok) throw new CliError(resolved.error.code, resolved.error.message, 2);
    dirs.set(precision, resolved.dir);
    manifest ??= resolved.manifest;
  }
  if (manifest === undefined) throw new CliError('no_precision', 'the search space allows no precision to build the model at');
  return { dirs, manifest };
}

/** The served directory for each precision (see prepareModel, which also returns the manifest). */
export async function modelDirectories(source: ModelSource, precisions: readonly Precision[]): Promise<ReadonlyMap<Precision, string>> {
  return (await prepareModel(source, precisions)).dirs;
}

/** Trials only ask for precisions prepared up front; anything else is a configuration the study cannot run. */
export function directoryFor(dirs: ReadonlyMap<Precision, string>, precision: Precision): string {
  const dir = dirs.get(precision);
  if (dir === undefined) throw new RangeError(`no ${precision} model was prepared for this study`);
  return dir;
}

export function describeSource(source: ModelSource): string {
  return source.kind === 'builtin' ? `${source.name} (built-in, synthetic weights)` : source.path;
}
