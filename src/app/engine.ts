/** The Docker side of `tune` outside a study: building the server image, and removing containers left behind. */
import { createDockerClient } from '../deploy/docker/client.ts';
import { DockerBackend } from '../deploy/docker/backend.ts';
import { ensureImage } from '../deploy/image.ts';
import { BUILTIN_MODELS, ensureModel, type BuiltinModel } from '../models/index.ts';
import type { Precision } from '../server/protocol.ts';
import { TuneError } from './errors.ts';

/** Builds tune-server unless current; says which tag and whether it was built. */
export async function buildImage(log?: (line: string) => void): Promise<{ tag: string; built: boolean }> {
  const image = await ensureImage(createDockerClient(), log ? { log } : {});
  if (!image.ok) throw new TuneError(image.failure.kind, image.failure.message);
  return { tag: image.tag, built: image.built };
}

/** Removes containers labelled as ours (all, or one study's); returns how many. */
export function reapContainers(studyId?: string): Promise<number> {
  return new DockerBackend(createDockerClient()).reap(studyId === undefined ? {} : { studyId });
}

/** Builds the built-in models (synthetic weights) into the cache, reporting each directory and how long it took. */
export async function buildModels(models: readonly BuiltinModel[] | 'all', precisions: readonly Precision[], built: (line: { model: BuiltinModel; precision: Precision; dir: string; seconds: number }) => void): Promise<void> {
  for (const model of models === 'all' ? BUILTIN_MODELS : models) {
    for (const precision of precisions) {
      const started = Date.now();
      const dir = await ensureModel({ model, precision });
      built({ model, precision, dir, seconds: (Date.now() - started) / 1000 });
    }
  }
}
