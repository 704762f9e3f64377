/**
 * Where a study's model comes from: a built-in name (built on demand, synthetic weights) or a path to the
 * user's .onnx file or export folder. Checking it is cheap (for --dry-run); resolving it to one served
 * directory per precision (building, quantizing, staging) happens only when the study runs. Its workload
 * (the request bodies) follows from the source and the manifest.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isBuiltinModel, resolveModel, type BuiltinModel, type ModelManifest, type Precision } from '../models/index.ts';
import { MODEL_HINT } from '../models/model-error.ts';
import { confinementProblem, defaultModelRoot } from '../models/model-root.ts';
import { modelSlug } from '../study/study-name.ts';
import { workloadFor, type WorkloadModel } from '../load/workloads/index.ts';
import { TuneError, usageError } from './errors.ts';

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
    if (!resolved.ok) throw new TuneError(resolved.error.code, resolved.error.message, 'usage');
    dirs.set(precision, resolved.dir);
    manifest ??= resolved.manifest;
  }
  if (manifest === undefined) throw new TuneError('no_precision', 'the search space allows no precision to build the model at');
  return { dirs, manifest };
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

/** Built-in models get their own workload (digits for the GAN, sentences for Marian); a user's model one for its kind. */
export function workloadModel(source: ModelSource, manifest: ModelManifest): WorkloadModel {
  if (source.kind === 'builtin') return source.name;
  return { kind: manifest.kind, ...(manifest.kind === 'classifier-image' ? { instanceShape: manifest.instanceShape } : {}) };
}

/** The seeded request bodies the load generator sends. */
export function requestBodies(source: ModelSource, manifest: ModelManifest, seed: number): () => string {
  const workload = workloadFor(workloadModel(source, manifest), { seed });
  if (!workload.ok) throw new TuneError(workload.error.code, workload.error.message);
  return workload.workload.bodies;
}
