/**
 * Running one study for real, the composition root: connects to Docker, prepares the image and the model,
 * wires the Docker backend, the load generator, the metrics and the ask/tell Study on the stored trials into
 * the study loop, and runs it while holding the study's claim.
 */
import type Docker from 'dockerode';
import { createDockerClient, engineAddress } from '../deploy/docker/client.ts';
import { ensureImage } from '../deploy/image.ts';
import { hostFacts } from '../host/host.ts';
import { runClosedLoop } from '../load/closed-loop.ts';
import { CLOUD_CARBON_FOOTPRINT_AWS, FARGATE_US_EAST_1, startRaplMeter, trialMetrics } from '../measure/index.ts';
import { backendOf, bestTrial, parallelOf, studyObjectives } from '../domain/trials.ts';
import { createSampler } from '../samplers/factory.ts';
import { inferencePath, type Precision } from '../server/protocol.ts';
import type { Storage } from '../storage/storage.ts';
import { createDeploymentMeasurement } from '../study/deployment-measurement.ts';
import { paramsToSpec } from '../study/params-to-spec.ts';
import { Study, type StudyContext } from '../study/study.ts';
import { storedTrials } from '../study/trial-store.ts';
import { proposalCost } from '../study/proposal-cost.ts';
import { runStudy, type HeldDeployment, type LoopEvent, type StudyRun } from '../study/tuning-loop.ts';
import type { Params } from '../space/params.ts';
import { studyBackend, type PlacementArgs } from './backends.ts';
import { whileClaimed } from './claim.ts';
import { TuneError } from './errors.ts';
import { directoryFor, prepareModel, requestBodies } from './model.ts';
import type { StudySetup } from './study-setup.ts';

const READY_TIMEOUT_MS = 180_000; // the largest built-in model (marian) loads in well under this
const REQUEST_TIMEOUT_MS = 30_000;

/** What a caller sees of the studies it has run: a stop signal, and notes and loop events to show. */
export interface RunHooks {
  signal: AbortSignal;
  /** One-line notes: an image or a model being prepared, a campaign's warnings. */
  note: (line: string) => void;
  /** Called once for each study about to run; returns the listener for its loop events. */
  progress: (setup: StudySetup) => (event: LoopEvent) => void;
}

/** What a campaign may ask of a run beyond the study's own settings. */
export interface StudyRunOptions {
  /** The study's sampler shares its model with studies run in other contexts (a sweep's load levels). */
  context?: StudyContext;
  /** Stop at this many measured attempts rather than at the budget (a campaign taking its studies in turns). */
  untilAttempts?: number;
  /** Where a Swarm study's trials go (nodes, registry, bind subnet). */
  placement?: PlacementArgs;
}

export async function executeStudy(setup: StudySetup, storage: Storage, hooks: RunHooks, options: StudyRunOptions = {}): Promise<StudyRun> {
  const docker = createDockerClient();
  const dockerVersion = await engineVersion(docker);
  const image = await prepareImage(docker, hooks.note);
  const { study } = setup;
  const parallel = parallelOf(study);
  // The tag just prepared, not tune-server:latest, which another `tune` from other sources may repoint meanwhile.
  const backend = await studyBackend(docker, { backend: backendOf(study), parallel, image, space: setup.space, placement: options.placement ?? {}, note: hooks.note });
  const onProgress = hooks.progress(setup);
  hooks.note(`preparing model ${setup.study.model} (${setup.precisions.join(', ')})`);
  const model = await prepareModel(setup.source, setup.precisions, setup.study);
  if (setup.isNew) storage.createStudy({ ...setup.study, host: hostFacts(dockerVersion) });
  const measure = createDeploymentMeasurement(
    { backend, runLoad: runClosedLoop, startEnergyMeter: () => startRaplMeter() },
    {
      path: inferencePath(study.api ?? 'v1', setup.source.servedName),
      concurrency: study.concurrency,
      warmupS: study.warmupS,
      durationS: study.durationS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      bodies: requestBodies(setup.source, model.manifest, study.seed, study.api, model.recorded),
      ...(study.earlyStop === true && { earlyStopIncumbentMs: () => bestTrial(storage.trials(study.id))?.objectiveValue }),
    },
  );
  const specContext = {
    studyId: study.id,
    modelName: setup.source.servedName,
    modelDirFor: (precision: Precision) => directoryFor(model.dirs, precision),
    concurrency: study.concurrency,
    readyTimeoutMs: READY_TIMEOUT_MS,
  };
  const toSpec = (params: Params, number: number) => paramsToSpec(params, number, specContext);
  // With several objectives `bo` is ParEGO, and the Study hands it every trial's values on all of them.
  const objectives = studyObjectives(study);
  const sampler = createSampler(study.strategy, { budget: study.budget, seed: study.seed, objectives: objectives.length });
  const trials = storedTrials(storage, study.id);
  const optimizer = new Study({ space: setup.space, sampler, seed: study.seed, trials, context: options.context, objectives });
  return whileClaimed(storage, study.id, () => runStudy(
    {
      storage,
      backend,
      measure,
      metrics: (m, deployment) => trialMetrics(m.load, m.usage, deployment.spec, FARGATE_US_EAST_1, CLOUD_CARBON_FOOTPRINT_AWS, m.raplJoules),
      optimizer,
      toSpec,
      ...(study.costAware === true && { proposalCost: (held: HeldDeployment | undefined) => proposalCost(study, storage.trials(study.id), toSpec, held) }),
      clock: Date.now,
      onProgress,
    },
    { study, signal: hooks.signal, untilAttempts: options.untilAttempts, parallel },
  ));
}

async function engineVersion(docker: Docker): Promise<string> {
  try {
    return (await docker.version()).Version;
  } catch {
    throw new TuneError('engine_unreachable', `Docker engine unreachable at ${engineAddress(docker)}: start it (scripts/setup.sh does) or set DOCKER_HOST`);
  }
}

async function prepareImage(docker: Docker, note: (line: string) => void): Promise<string> {
  const image = await ensureImage(docker);
  if (!image.ok) throw new TuneError(image.failure.kind, image.failure.message);
  if (image.built) note(`built image ${image.tag}`);
  return image.tag;
}
