/**
 * One configuration deployed on its own on the Docker backend and measured as a study measures a trial (warm-up,
 * then the window; never stopped early): benchmarks re-measure what studies found with it.
 */
import { directoryFor, modelSource, prepareModel, requestBodies } from '../../src/app/model.ts';
import { DockerBackend } from '../../src/deploy/docker/backend.ts';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { ensureImage } from '../../src/deploy/image.ts';
import { runClosedLoop } from '../../src/load/closed-loop.ts';
import type { LatencySummary } from '../../src/load/types.ts';
import { PRECISIONS, ROUTES } from '../../src/server/protocol.ts';
import type { Params } from '../../src/space/params.ts';
import { createDeploymentMeasurement } from '../../src/study/deployment-measurement.ts';
import { paramsToSpec } from '../../src/study/params-to-spec.ts';

export interface AloneSettings {
  model: string;
  concurrency: number;
  durationS: number;
  warmupS?: number;
  seed?: number;
}

export async function measureAlone(params: Params, number: number, settings: AloneSettings): Promise<LatencySummary> {
  const docker = createDockerClient();
  const image = await ensureImage(docker);
  if (!image.ok) throw new Error(image.failure.message);
  const source = modelSource(settings.model);
  const model = await prepareModel(source, [...PRECISIONS]);
  const backend = new DockerBackend(docker, { image: image.tag });
  const spec = paramsToSpec(params, number, {
    studyId: 'bench-measure-alone',
    modelName: source.servedName,
    modelDirFor: (p) => directoryFor(model.dirs, p),
    concurrency: settings.concurrency,
    readyTimeoutMs: 180_000,
  });
  const deployed = await backend.deploy(spec);
  if (!deployed.ok) throw new Error(deployed.failure.message);
  try {
    const measure = createDeploymentMeasurement(
      { backend, runLoad: runClosedLoop },
      {
        path: ROUTES.predict(source.servedName),
        concurrency: settings.concurrency,
        warmupS: settings.warmupS ?? 3,
        durationS: settings.durationS,
        requestTimeoutMs: 30_000,
        bodies: requestBodies(source, model.manifest, settings.seed ?? 1),
      },
    );
    return (await measure(deployed.deployment, new AbortController().signal)).load.latency;
  } finally {
    await backend.teardown(deployed.deployment);
  }
}
