/**
 * The side-effecting half of `tune`: connects to Docker, builds the image and models, wires the real
 * backend, load generator, metrics and optimizer into the study loop, and runs it.
 */
import type Docker from 'dockerode';
import { createDockerClient, engineAddress } from '../deploy/docker/client.ts';
import { DockerBackend } from '../deploy/docker/backend.ts';
import { ensureImage } from '../deploy/image.ts';
import { runClosedLoop } from '../load/closed-loop.ts';
import { workloadFor } from '../load/workloads/index.ts';
import { CLOUD_CARBON_FOOTPRINT_AWS, FARGATE_US_EAST_1, startRaplMeter, trialMetrics } from '../measure/index.ts';
import type { Precision } from '../models/manifest.ts';
import { ROUTES } from '../server/protocol.ts';
import type { Storage } from '../storage/storage.ts';
import { createDeploymentMeasurement } from '../study/deployment-measurement.ts';
import { paramsToSpec } from '../study/params-to-spec.ts';
import { studyProposer } from '../study/study-proposer.ts';
import { runStudy, type LoopEvent, type StudyRun } from '../study/tuning-loop.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './io.ts';
import { ProgressLines } from './progress.ts';
import { abortOnSignals } from './signals.ts';
import { hostFacts } from './host-facts.ts';
import { directoryFor, prepareModel, type ModelSource, type PreparedModel } from './model-source.ts';
import { whileClaimed } from './study-claim.ts';
import type { StudySetup } from './study-setup.ts';

const READY_TIMEOUT_MS = 180_000; // the largest built-in model (marian) loads in well under this
const REQUEST_TIMEOUT_MS = 30_000;

export interface ExecutionOptions {
  signal: AbortSignal;
  onProgress: (event: LoopEvent) => void;
  /** One-line notes about preparation (image build, model build). */
  note: (line: string) => void;
}

export async function executeStudy(setup: StudySetup, storage: Storage, options: ExecutionOptions): Promise<StudyRun> {
  const docker = createDockerClient();
  const dockerVersion = await engineVersion(docker);
  const image = await prepareImage(docker, options.note);
  options.note(`preparing model ${setup.study.model} (${setup.precisions.join(', ')})`);
  const model = await prepareModel(setup.source, setup.precisions);
  // The tag just prepared, not tune-server:latest, which another `tune` from other sources may repoint meanwhile.
  const backend = new DockerBackend(docker, { image });
  if (setup.isNew) storage.createStudy({ ...setup.study, host: hostFacts(dockerVersion) });
  const { study } = setup;
  const measure = createDeploymentMeasurement(
    { backend, runLoad: runClosedLoop, startEnergyMeter: () => startRaplMeter() },
    {
      path: ROUTES.predict(setup.source.servedName),
      concurrency: study.concurrency,
      warmupS: study.warmupS,
      durationS: study.durationS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      bodies: requestBodies(setup.source, model, study.seed),
    },
  );
  const specContext = {
    studyId: study.id,
    modelName: setup.source.servedName,
    modelDirFor: (precision: Precision) => directoryFor(model.dirs, precision),
    concurrency: study.concurrency,
    readyTimeoutMs: READY_TIMEOUT_MS,
  };
  return whileClaimed(storage, study.id, () => runStudy(
    {
      storage,
      backend,
      measure,
      metrics: (m, deployment) => trialMetrics(m.load, m.usage, deployment.spec, FARGATE_US_EAST_1, CLOUD_CARBON_FOOTPRINT_AWS, m.raplJoules),
      propose: studyProposer(setup.space, study),
      toSpec: (params, number) => paramsToSpec(params, number, specContext),
      clock: Date.now,
      onProgress: options.onProgress,
    },
    { study, baseline: setup.baseline, signal: options.signal },
  ));
}

async function engineVersion(docker: Docker): Promise<string> {
  try {
    return (await docker.version()).Version;
  } catch {
    throw new CliError('engine_unreachable', `Docker engine unreachable at ${engineAddress(docker)}: start it (scripts/setup.sh does) or set DOCKER_HOST`);
  }
}

async function prepareImage(docker: Docker, note: (line: string) => void): Promise<string> {
  const image = await ensureImage(docker);
  if (!image.ok) throw new CliError(image.failure.kind, image.failure.message);
  if (image.built) note(`built image ${image.tag}`);
  return image.tag;
}

/** Built-in models get their own workload (digits for the GAN, sentences for Marian); a user's model one for its kind. */
function requestBodies(source: ModelSource, model: PreparedModel, seed: number): () => string {
  const { manifest } = model;
  const target = source.kind === 'builtin' ? source.name : { kind: manifest.kind, ...(manifest.kind === 'classifier-image' ? { instanceShape: manifest.instanceShape } : {}) };
  const workload = workloadFor(target, { seed });
  if (!workload.ok) throw new CliError(workload.error.code, workload.error.message);
  return workload.workload.bodies;
}

/** Runs the study with progress lines on stderr and Ctrl-C / SIGTERM wired to a graceful stop. */
export async function runWithProgress(setup: StudySetup, storage: Storage, io: CliIo): Promise<StudyRun> {
  const progress = new ProgressLines(setup.study.objective);
  const scope = abortOnSignals(io.err);
  try {
    io.err(`study ${setup.study.id}: ${setup.isNew ? 'starting' : 'resuming'} (${setup.study.strategy}, budget ${setup.study.budget})`);
    return await executeStudy(setup, storage, { signal: scope.signal, onProgress: (event) => io.err(progress.line(event)), note: io.err });
  } finally {
    scope.dispose();
  }
}
