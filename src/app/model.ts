/**
 * Where a study's model comes from: a built-in name (built on demand; synthetic weights but for ocr's real ones) or a path to the
 * user's .onnx file or export folder. Checking it is cheap (for --dry-run); resolving it to one served
 * directory per precision (building, quantizing, staging) happens only when the study runs. Its workload
 * (the request bodies) follows from the source and the manifest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isBuiltinModel, resolveModel, SYNTHETIC_MODELS, type BuiltinModel, type ModelManifest, type Precision } from '../models/index.ts';
import { MODEL_HINT } from '../models/model-error.ts';
import { confinementProblem, defaultModelRoot } from '../models/model-root.ts';
import { modelSlug } from '../study/study-name.ts';
import { workloadFor, type WorkloadModel } from '../load/workloads/index.ts';
import { readRecordedWorkload, recordedInstances, sampleShapes, type RecordedWorkload } from '../load/workloads/user-file.ts';
import type { StudyRecord, StudyWorkload } from '../domain/records.ts';
import type { ShapeHints } from '../models/tensor-spec.ts';
import { instanceParser } from '../server/runners/parsers.ts';
import { loadTokenizer } from '../server/tokenizer-loader.ts';
import { decodeInferRequest } from '../server/v2/codec.ts';
import type { Api } from '../server/protocol.ts';
import { inferRequestJson } from '../server/v2/codec.ts';
import { TuneError, usageError } from './errors.ts';

/** Recorded instances as JSON texts, replayed in order, and the file they came from. */
export interface RecordedInstances {
  instances: readonly string[];
  source: string;
}

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
  /** The study's recorded traffic as the model's V1 instances, each checked with the server's parser. */
  recorded?: RecordedInstances;
}

/** What of a study shapes its model and its load: the recorded workload, the item shapes given for its inputs. */
export type StudyTraffic = Pick<StudyRecord, 'workload' | 'inputShapes'>;

/**
 * Builds, quantizes or stages the model once per precision the study may use. A user's tensor model takes its
 * dynamic dims from --input-shape, else from the recorded workload's samples, which are then checked against it.
 */
export async function prepareModel(source: ModelSource, precisions: readonly Precision[], traffic: StudyTraffic = {}): Promise<PreparedModel> {
  const recorded = traffic.workload === undefined ? undefined : readStudyWorkload(traffic.workload);
  const hints: ShapeHints = { ...(traffic.inputShapes && { given: traffic.inputShapes }), ...(recorded && { samples: sampleShapes(recorded.lines) }) };
  const dirs = new Map<Precision, string>();
  let manifest: ModelManifest | undefined;
  for (const precision of precisions) {
    const resolved = await resolveModel(source.kind === 'builtin' ? source.name : source.path, { precision, hints });
    if (!resolved.ok) throw new TuneError(resolved.error.code, resolved.error.message, 'usage');
    dirs.set(precision, resolved.dir);
    manifest ??= resolved.manifest;
  }
  if (manifest === undefined) throw new TuneError('no_precision', 'the search space allows no precision to build the model at');
  const first = directoryFor(dirs, precisions[0] as Precision);
  return { dirs, manifest, ...(recorded && { recorded: await checkedInstances(recorded, first, manifest) }) };
}

/** The study's workload file, read again: it must still be the file the study was created with. */
export function readStudyWorkload(workload: StudyWorkload): RecordedWorkload {
  const read = readWorkload(workload.file);
  if (read.sha256 !== workload.sha256) {
    throw usageError(`workload file ${workload.file} changed since the study was created (sha256 ${read.sha256.slice(0, 12)}…, recorded ${workload.sha256.slice(0, 12)}…): restore it, or start a new study`);
  }
  return read;
}

/** A --workload file read whole (for a new study: its path, made absolute, and sha256 are recorded). */
export function readWorkload(file: string): RecordedWorkload {
  const read = readRecordedWorkload(resolve(file), (path) => readFileSync(path));
  if (!read.ok) throw new TuneError(read.error.code, read.error.message, 'usage');
  return read.workload;
}

/** The recorded lines as V1 instances (V2 lines decoded by the model's codec), each parsed as the server will. */
async function checkedInstances(workload: RecordedWorkload, dir: string, manifest: ModelManifest): Promise<RecordedInstances> {
  const parser = instanceParser(manifest, await loadTokenizer(dir, manifest));
  const made = recordedInstances(workload, (body) => decodeInferRequest(manifest, body), (instance) => parser.parse(instance));
  if (!made.ok) throw new TuneError(made.error.code, made.error.message, 'usage');
  return { instances: made.instances, source: workload.file };
}

/** Trials only ask for precisions prepared up front; anything else is a configuration the study cannot run. */
export function directoryFor(dirs: ReadonlyMap<Precision, string>, precision: Precision): string {
  const dir = dirs.get(precision);
  if (dir === undefined) throw new RangeError(`no ${precision} model was prepared for this study`);
  return dir;
}

export function describeSource(source: ModelSource): string {
  if (source.kind === 'path') return source.path;
  const synthetic = (SYNTHETIC_MODELS as readonly string[]).includes(source.name);
  return `${source.name} (built-in, ${synthetic ? 'synthetic' : 'real'} weights)`;
}

/** Built-in models get their own workload (digits for the GAN, sentences for Marian); a user's model one for its kind. */
export function workloadModel(source: ModelSource, manifest: ModelManifest): WorkloadModel {
  if (source.kind === 'builtin') return source.name;
  if (manifest.kind === 'tensor') return { kind: manifest.kind, tensor: manifest };
  return { kind: manifest.kind, ...(manifest.kind === 'classifier-image' ? { instanceShape: manifest.instanceShape } : {}) };
}

function v2Body(manifest: ModelManifest, instancesJson: readonly string[]): string {
  try {
    return inferRequestJson(manifest, instancesJson);
  } catch (error) {
    throw new TuneError('bad_workload', `--api v2 cannot send this workload: ${(error as Error).message}`, 'usage');
  }
}

/** The seeded request bodies the load generator sends, framed for the protocol it speaks (V2: encodeInferRequest's bodies). */
export function requestBodies(source: ModelSource, manifest: ModelManifest, seed: number, api: Api = 'v1', recorded?: RecordedInstances): () => string {
  const frame = api === 'v2' ? (instancesJson: readonly string[]) => v2Body(manifest, instancesJson) : undefined;
  const workload = workloadFor(workloadModel(source, manifest), { seed, ...(frame && { frame }), ...(recorded && { recorded }) });
  if (!workload.ok) throw new TuneError(workload.error.code, workload.error.message);
  return workload.workload.bodies;
}
