/**
 * Deploy-to-ready time of the Docker backend: median seconds from deploy() to every replica answering its
 * ready route, per model and replica count (goal: ≤ 3 s for 4 marian replicas). To show where the time goes it
 * also reads each replica's own log: when node started (container creation and start included) and how long
 * the server spent loading and warming the model (slowest replica), and the time teardown takes.
 *
 *   node --import tsx bench/deploy/run.ts [--models gan,marian] [--replicas 1,2,4] [--repeats 3] [--cpus 1]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { max, median, min } from 'simple-statistics';
import type { Deployment, DeploymentSpec } from '../../src/deploy/backend.ts';
import { DockerBackend } from '../../src/deploy/docker/backend.ts';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { demuxLogs } from '../../src/deploy/docker/replica-failure.ts';
import { ensureImage } from '../../src/deploy/image.ts';
import { ensureModel } from '../../src/models/build.ts';
import { isBuiltinModel, type BuiltinModel } from '../../src/models/builder.ts';

/** Per-replica memory generous enough that the limit never decides the timing. */
const MEMORY_MB: Record<BuiltinModel, number> = { gan: 512, resnet: 1024, bert: 2048, marian: 3072, ocr: 512 };

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'gan,marian' },
    replicas: { type: 'string', default: '1,2,4' },
    repeats: { type: 'string', default: '3' },
    cpus: { type: 'string', default: '1' },
  },
});
const models = values.models.split(',').filter(isBuiltinModel);
const replicaCounts = values.replicas.split(',').map(Number);
const repeats = Number(values.repeats);
const cpus = Number(values.cpus);

const docker = createDockerClient();
const image = await ensureImage(docker);
if (!image.ok) throw new Error(image.failure.message);
const backend = new DockerBackend(docker, { image: image.tag });
const studyId = `bench-deploy-${process.pid}`;

const rows: Record<string, string | number>[] = [];
const failures: string[] = [];
const loadBefore = loadavg()[0] ?? 0;
try {
  for (const model of models) {
    const modelDir = await ensureModel({ model, precision: 'fp32' });
    for (const replicas of replicaCounts) rows.push(await benchDeploy(model, modelDir, replicas));
  }
} finally {
  await backend.reap({ studyId });
}
const load = `${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}`;
console.log(`image ${image.tag}; ${cpus} CPU per replica; ${repeats} repeats; 1-min load average ${load} on 2 cores`);
console.table(rows);
for (const failure of failures) console.log(`failed: ${failure}`);

async function benchDeploy(model: BuiltinModel, modelDir: string, replicas: number): Promise<Record<string, string | number>> {
  const ready: number[] = [];
  const nodeUp: number[] = [];
  const modelLoad: number[] = [];
  const teardown: number[] = [];
  for (let run = 0; run < repeats; run++) {
    const startedAt = Date.now();
    const result = await backend.deploy(specFor(model, modelDir, replicas, run));
    if (!result.ok) {
      failures.push(`${model} × ${replicas}: ${result.failure.kind}: ${result.failure.message}`);
      continue;
    }
    ready.push((Date.now() - startedAt) / 1000);
    const phases = await replicaPhases(result.deployment);
    nodeUp.push((Math.max(...phases.map((p) => p.startingAt)) - startedAt) / 1000);
    modelLoad.push(Math.max(...phases.map((p) => p.loadAndWarmMs)) / 1000);
    const stopping = Date.now();
    await backend.teardown(result.deployment);
    teardown.push((Date.now() - stopping) / 1000);
  }
  // simple-statistics throws on empty input: every run may have failed
  const s = (summary: (xs: number[]) => number, xs: number[]) => (xs.length > 0 ? summary(xs).toFixed(2) : '-');
  return {
    model,
    replicas,
    'ready median s': s(median, ready),
    'ready min s': s(min, ready),
    'ready max s': s(max, ready),
    'node up s': s(median, nodeUp),
    'load+warm-up s': s(median, modelLoad),
    'teardown s': s(median, teardown),
    'failed runs': repeats - ready.length,
  };
}

/** From each replica's JSON log: when the server started and how long loading and warming took. */
async function replicaPhases(deployment: Deployment): Promise<{ startingAt: number; loadAndWarmMs: number }[]> {
  return Promise.all(
    deployment.endpoints.map(async (endpoint) => {
      const raw = await docker.getContainer(endpoint.containerId).logs({ stdout: true, stderr: true, follow: false });
      const events = demuxLogs(Buffer.from(raw))
        .stderr.split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { event: string; time: string; loadMs?: number; warmUpMs?: number });
      const starting = events.find((e) => e.event === 'starting');
      const loaded = events.find((e) => e.event === 'model_ready');
      return { startingAt: Date.parse(starting?.time ?? ''), loadAndWarmMs: (loaded?.loadMs ?? NaN) + (loaded?.warmUpMs ?? NaN) };
    }),
  );
}

function specFor(model: BuiltinModel, modelDir: string, replicas: number, run: number): DeploymentSpec {
  return {
    studyId,
    trialNumber: run,
    modelName: model,
    modelDir,
    replicas,
    cpus,
    memoryMb: MEMORY_MB[model],
    server: {
      maxBatchSize: 4,
      batchTimeoutUs: 1000,
      queueBound: 64,
      intraOpThreads: 1,
      interOpThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      precision: 'fp32',
    },
    readyTimeoutMs: 120_000,
  };
}
