/**
 * `tune export`: a stored study's best trial (or the one asked for, complete only) as a Compose file, a Swarm
 * stack or Kubernetes objects. The trial's parameters become the DeploymentSpec the study deployed
 * (paramsToSpec), the model directory is the one the study served (prepared again if the cache lost it), and
 * the image is the tune-server tag `tune image build` makes from this checkout, unless one is given.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { plannedImages } from '../deploy/image.ts';
import { bindProblem, chooseTrial, DEFAULT_EXPORT_PORT, exportFile, portProblem, type ExportFormat, type TrialChosen } from '../export/index.ts';
import { REPLICA_HOST } from '../deploy/docker/container-config.ts';
import type { Precision } from '../server/protocol.ts';
import { paramsToSpec, type SpecContext } from '../study/params-to-spec.ts';
import { TuneError, usageError } from './errors.ts';
import { directoryFor, modelSource, prepareModel, type ModelSource } from './model.ts';
import { openExistingStorage, requireStudy, withStorage } from './storage.ts';

export interface ExportRequest {
  db: string;
  study: string;
  /** A trial number; when absent, the study's confirmed winner, else its best. */
  trial?: number;
  format: ExportFormat;
  /** File to write; the text is only returned when absent. */
  out?: string;
  /** Image reference to use instead of this checkout's tune-server:<tag> (e.g. its name in a registry). */
  image?: string;
  /** Base port: replica i (from 1) listens on port + i - 1 (Kubernetes: the container port). */
  port?: number;
  /** TUNE_HOST of Compose and Swarm replicas: an IPv4 address or subnet. */
  bind?: string;
}

export interface ExportResult {
  format: ExportFormat;
  study: string;
  trial: number;
  chosen: TrialChosen;
  image: string;
  text: string;
  out?: string;
}

/** What an export needs from outside: the image tag and the model's directory. Replaced in tests. */
export interface ExportDeps {
  imageTag: () => Promise<string>;
  modelDir: (source: ModelSource, precision: Precision) => Promise<string>;
  note: (line: string) => void;
}

/** The readiness timeout is the backend's business; a spec needs one, the export writes none. */
const UNUSED_READY_TIMEOUT_MS = 180_000;

export async function exportStudy(request: ExportRequest, deps: Partial<ExportDeps> = {}): Promise<ExportResult> {
  const { imageTag = serverImageTag, modelDir = preparedModelDir(deps.note ?? (() => {})) } = deps;
  const bind = request.bind ?? REPLICA_HOST;
  const port = request.port ?? DEFAULT_EXPORT_PORT;
  const badBind = bindProblem(bind);
  if (badBind) throw usageError(badBind);
  if (request.image !== undefined && !/^[^\s]+$/.test(request.image)) throw usageError(`--image "${request.image}" is not an image reference: give one such as registry.example.com/tune-server:1a2b3c`);

  const { study, choice } = await withStorage(openExistingStorage(request.db), (storage) => {
    const found = requireStudy(storage, request.study, request.db);
    return { study: found, choice: chooseTrial(found, storage.trials(found.id), request.trial, request.db) };
  });
  if (!choice.ok) throw new TuneError(choice.code, choice.message, 'usage');
  const { trial } = choice;

  const source = modelSource(study.model);
  const context = (dir: string): SpecContext => ({
    studyId: study.id,
    modelName: source.servedName,
    modelDirFor: () => dir,
    concurrency: study.concurrency,
    readyTimeoutMs: UNUSED_READY_TIMEOUT_MS,
  });
  const specWith = (dir: string) => {
    try {
      return paramsToSpec(trial.params, trial.number, context(dir));
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new TuneError('bad_trial_params', `trial ${trial.number} of study "${study.id}" cannot be deployed by this version: ${error.message}`, 'usage');
    }
  };
  const precision = specWith('/').server.precision;
  const spec = specWith(await modelDir(source, precision));
  const badPorts = portProblem(port, request.format === 'kubernetes' ? 1 : spec.replicas);
  if (badPorts) throw usageError(badPorts);

  const image = request.image ?? (await imageTag());
  const text = exportFile(request.format, { study, trial, chosen: choice.chosen, spec, image, port, bind });
  if (request.out !== undefined) {
    await mkdir(dirname(request.out), { recursive: true });
    await writeFile(request.out, text);
  }
  return { format: request.format, study: study.id, trial: trial.number, chosen: choice.chosen, image, text, ...(request.out === undefined ? {} : { out: request.out }) };
}

/** The model directory the study served at that precision: built, quantized or staged again when missing. */
function preparedModelDir(note: (line: string) => void) {
  return async (source: ModelSource, precision: Precision): Promise<string> => {
    note(`preparing model ${source.kind === 'builtin' ? source.name : source.path} (${precision})`);
    return directoryFor((await prepareModel(source, [precision])).dirs, precision);
  };
}

/** tune-server:<tag> as `tune image build` (ensureImage) tags it from this checkout and this node, without Docker. */
export async function serverImageTag(): Promise<string> {
  try {
    return (await plannedImages()).server.tag;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TuneError('image_unknown', `cannot tell the tag of the server image (${reason}): pass the image to use with --image`);
  }
}
