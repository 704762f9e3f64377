import type Docker from 'dockerode';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, test, type TestContext } from 'node:test';
import type { Deployment, DeploymentSpec } from '../../src/deploy/backend.ts';
import { runClosedLoop } from '../../src/load/closed-loop.ts';
import { ROUTES } from '../../src/server/protocol.ts';
import { createDeploymentMeasurement } from '../../src/study/deployment-measurement.ts';
import { DockerBackend } from '../../src/deploy/docker/backend.ts';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { ensureImage } from '../../src/deploy/image.ts';
import { backendContract } from './backend-contract.ts';
import { requireDocker } from './docker-available.ts';
import { deployFixture, GAN_INSTANCE, ganSpec, studyContainers, type DeployFixture } from '../../support/deploy-fixture.ts';

backendContract('DockerBackend', async () => {
  const f = await deployFixture();
  return { ...f, withImage: (image) => new DockerBackend(f.docker, { image }), reapedPerDeployment: (replicas) => replicas };
});

/** Fixture once per file; every test removes its own study's containers, even when it fails. */
let fixture: Promise<DeployFixture> | undefined;
async function setUp(t: TestContext, spec: DeploymentSpec): Promise<DeployFixture | undefined> {
  if (!(await requireDocker(t))) return undefined;
  fixture ??= deployFixture();
  const f = await fixture;
  t.after(() => f.backend.reap({ studyId: spec.studyId }));
  return f;
}

describe('DockerBackend on the real engine', () => {
  test('ensureImage finds the image it built, labelled and tagged latest', async (t) => {
    if (!(await requireDocker(t))) return;
    const docker = createDockerClient();
    const first = await ensureImage(docker); // builds if the server changed since the last build
    assert.ok(first.ok, first.ok ? '' : first.failure.message);
    const again = await ensureImage(docker);
    assert.ok(again.ok && !again.built, 'a second ensureImage must reuse the image');
    const info = await docker.getImage(again.tag).inspect();
    assert.equal(info.Config.Labels?.['tune.image'], 'tune-server');
    assert.equal(info.Config.User, '10001:10001');
    assert.ok(info.RepoTags.includes('tune-server:latest'));
  });

  test('a CPU quota beyond the host is invalid_config, in the engine\'s words', async (t) => {
    const spec = ganSpec('', 'too-many-cpus', { cpus: availableParallelism() + 1 });
    const f = await setUp(t, spec);
    if (!f) return;
    const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
    assert.ok(!result.ok);
    assert.equal(result.failure.kind, 'invalid_config');
    assert.match(result.failure.message, /CPUs/);
    assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
  });

  test('an engine that does not answer is engine_unreachable, in one line naming the socket', async () => {
    const backend = new DockerBackend(createDockerClient({ DOCKER_HOST: 'unix:///tmp/tune-e2e-no-engine.sock' }));
    const result = await backend.deploy(ganSpec('/tmp', 'no-engine'));
    assert.deepEqual(result, {
      ok: false,
      failure: {
        kind: 'engine_unreachable',
        message: 'Docker engine unreachable at /tmp/tune-e2e-no-engine.sock: start it (sudo dockerd &, or systemctl start docker) and retry',
      },
    });
  });

});

/** Live reconfiguration: limits and replica count changed on running replicas, and measured like a fresh deployment. */
async function deployed(f: DeployFixture, spec: DeploymentSpec): Promise<Deployment> {
  const result = await f.backend.deploy(spec);
  assert.ok(result.ok, result.ok ? '' : result.failure.message);
  return result.deployment;
}

async function reconfigured(f: DeployFixture, from: Deployment, spec: DeploymentSpec): Promise<{ deployment: Deployment; mode: string }> {
  const result = await f.backend.reconfigure(from, spec);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result;
}

describe('DockerBackend: live reconfiguration', () => {
  test('CPU quota, memory and replica count change on the running replicas', async (t) => {
    const spec = ganSpec('', 'reconfigure-resources', { cpus: 0.5, memoryMb: 256 });
    const f = await setUp(t, spec);
    if (!f) return;
    const first = await deployed(f, { ...spec, modelDir: f.ganDir });
    const [original] = first.endpoints;

    const wider = { ...first.spec, trialNumber: 2, replicas: 2, cpus: 1, memoryMb: 300 };
    const up = await reconfigured(f, first, wider);
    assert.equal(up.mode, 'reconfigured');
    assert.equal(up.deployment.endpoints.length, 2);
    assert.equal(up.deployment.endpoints[0]?.containerId, original?.containerId, 'the running replica is kept');
    for (const endpoint of up.deployment.endpoints) {
      const info: Docker.ContainerInspectInfo = await f.docker.getContainer(endpoint.containerId).inspect();
      assert.equal(info.HostConfig.NanoCpus, 1_000_000_000);
      assert.equal(info.HostConfig.Memory, 300 * 1024 * 1024);
      assert.equal(info.HostConfig.MemorySwap, 300 * 1024 * 1024, 'still no swap');
      const answer = await fetch(endpoint.url + ROUTES.predict('gan'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: [GAN_INSTANCE] }) });
      assert.equal(answer.status, 200);
    }
    const added = await f.docker.getContainer(up.deployment.endpoints[1]!.containerId).inspect();
    assert.equal(added.Config.Labels['tune.trial'], '2', 'a replica added is labelled with the trial that started it');

    const narrower = { ...wider, trialNumber: 3, replicas: 1 };
    const down = await reconfigured(f, up.deployment, narrower);
    assert.deepEqual(down.deployment.endpoints.map((e) => e.containerId), [original?.containerId]);
    assert.deepEqual((await studyContainers(f.docker, spec.studyId)).map((c) => c.Id), [original?.containerId], 'the replica removed is gone');
    await f.backend.teardown(down.deployment);
    assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
  });

  test('a configuration measured on a reconfigured deployment and on a fresh one agree', { timeout: 180_000 }, async (t) => {
    const spec = ganSpec('', 'reconfigure-agreement', { cpus: 0.5 });
    const f = await setUp(t, spec);
    if (!f) return;
    const measure = createDeploymentMeasurement(
      { backend: f.backend, runLoad: runClosedLoop },
      { path: ROUTES.predict('gan'), concurrency: 4, warmupS: 1, durationS: 6, requestTimeoutMs: 10_000, bodies: () => JSON.stringify({ instances: [GAN_INSTANCE] }) },
    );
    const signal = new AbortController().signal;
    const start = await deployed(f, { ...spec, modelDir: f.ganDir, server: { ...spec.server, maxBatchSize: 1, intraOpThreads: 1 } });
    const target: DeploymentSpec = { ...start.spec, trialNumber: 2, cpus: 1, server: { ...start.spec.server, maxBatchSize: 4, batchTimeoutUs: 500, intraOpThreads: 2, graphOptimizationLevel: 'extended' } };

    const changed = await reconfigured(f, start, target);
    assert.equal(changed.mode, 'reloaded');
    const onReconfigured = (await measure(changed.deployment, signal)).load.latency;
    await f.backend.teardown(changed.deployment);
    const fresh = await deployed(f, { ...target, trialNumber: 3 });
    const onFresh = (await measure(fresh, signal)).load.latency;
    await f.backend.teardown(fresh);

    // Two deployments differ by more than one window's interval (placement, caches): allow 15% of the mean beside it.
    const gap = Math.abs(onReconfigured.mean - onFresh.mean);
    const allowed = onReconfigured.meanCi95 + onFresh.meanCi95 + 0.15 * Math.max(onReconfigured.mean, onFresh.mean);
    console.log(`reconfigured ${onReconfigured.mean.toFixed(2)} ± ${onReconfigured.meanCi95.toFixed(2)} ms, fresh ${onFresh.mean.toFixed(2)} ± ${onFresh.meanCi95.toFixed(2)} ms`);
    assert.ok(gap <= allowed, `reconfigured ${onReconfigured.mean.toFixed(2)} ± ${onReconfigured.meanCi95.toFixed(2)} ms vs fresh ${onFresh.mean.toFixed(2)} ± ${onFresh.meanCi95.toFixed(2)} ms`);
  });
});
