/**
 * The DeploymentBackend contract on the real engine: what every backend must do with real replicas of the gan
 * server (limits and knobs applied, serving, usage, health, teardown) and with each way a deployment can fail,
 * always leaving nothing behind and never touching what is not ours. deploy.test.ts runs it on the Docker
 * backend, swarm.test.ts on the Swarm backend.
 */
import type Docker from 'dockerode';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test, type TestContext } from 'node:test';
import type { DeploymentBackend, DeploymentSpec } from '../../src/deploy/backend.ts';
import { serverEnv } from '../../src/deploy/docker/container-config.ts';
import { ROUTES, SERVER_ENV } from '../../src/server/protocol.ts';
import { requireDocker } from './docker-available.ts';
import { GAN_INSTANCE, ganSpec, studyContainers } from '../../support/deploy-fixture.ts';

export interface ContractFixture {
  docker: Docker;
  backend: DeploymentBackend;
  image: string;
  ganDir: string;
  /** The same backend running another image. */
  withImage: (image: string) => DeploymentBackend;
  /** What reap counts for one deployment of n replicas (containers, or the one service). */
  reapedPerDeployment: (replicas: number) => number;
}

async function predict(url: string): Promise<{ predictions: { label: number; scores: number[] }[] }> {
  const response = await fetch(url + ROUTES.predict('gan'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instances: [GAN_INSTANCE] }),
  });
  assert.equal(response.status, 200);
  return (await response.json()) as { predictions: { label: number; scores: number[] }[] };
}

async function waitForContainers(f: ContractFixture, studyId: string, count: number): Promise<void> {
  while ((await studyContainers(f.docker, studyId)).length < count) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** `fixture` is created once, on first use; every test removes its own study's replicas, even when it fails. */
export function backendContract(name: string, fixture: () => Promise<ContractFixture>): void {
  let made: Promise<ContractFixture> | undefined;
  async function setUp(t: TestContext, spec: DeploymentSpec): Promise<ContractFixture | undefined> {
    if (!(await requireDocker(t))) return undefined;
    made ??= fixture();
    const f = await made;
    t.after(() => f.backend.reap({ studyId: spec.studyId }));
    return f;
  }

  describe(`${name}: the DeploymentBackend contract`, () => {
    test('a 2-replica gan deployment gets exactly its limits and env, serves from both replicas, and leaves nothing behind', async (t) => {
      const spec = ganSpec('', 'two-replicas', { replicas: 2, cpus: 0.75, memoryMb: 300 });
      const f = await setUp(t, spec);
      if (!f) return;
      const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
      assert.ok(result.ok, result.ok ? '' : result.failure.message);
      const { deployment } = result;
      assert.deepEqual(deployment.endpoints.map((e) => e.replica), [0, 1]);
      for (const endpoint of deployment.endpoints) {
        const info: Docker.ContainerInspectInfo = await f.docker.getContainer(endpoint.containerId).inspect();
        assert.equal(info.HostConfig.NanoCpus, 750_000_000);
        assert.equal(info.HostConfig.Memory, 300 * 1024 * 1024);
        // The knobs; where the replica listens is each backend's own (a port per container, or per task slot).
        const knobs = Object.entries(serverEnv(deployment.spec, 0)).filter(([name]) => name !== SERVER_ENV.host && name !== SERVER_ENV.port);
        for (const [name, value] of knobs) assert.ok(info.Config.Env.includes(`${name}=${value}`), `${name}=${value} missing from replica ${endpoint.replica}`);
        assert.equal(info.Config.Labels['tune.study'], spec.studyId);
      }
      const usage = await f.backend.startUsage(deployment);
      const answers = await Promise.all(deployment.endpoints.map((e) => predict(e.url)));
      for (const answer of answers) {
        assert.equal(answer.predictions.length, 1);
        assert.equal(answer.predictions[0]?.scores.length, 11); // 10 digits + "fake"
      }
      const used = await usage();
      assert.equal(used.perReplica.length, 2);
      assert.ok(used.cpuSeconds > 0, 'serving a prediction takes CPU time');
      assert.ok(used.perReplica.every((r) => r.peakMemoryBytes > 10 * 1024 * 1024), 'a loaded model takes memory');
      assert.deepEqual(await f.backend.health(deployment), { ok: true });
      await f.backend.teardown(deployment);
      assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
    });

    test('a memory limit below what loading gan needs is oom_killed, naming the limit', async (t) => {
      const spec = ganSpec('', 'oom', { memoryMb: 20 }); // gan peaks near 40 MB; 12–28 MB all die while loading
      const f = await setUp(t, spec);
      if (!f) return;
      const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
      assert.ok(!result.ok);
      assert.equal(result.failure.kind, 'oom_killed');
      assert.match(result.failure.message, /20 MB memory limit/);
      assert.deepEqual(await studyContainers(f.docker, spec.studyId), [], 'a failed deployment is torn down');
    });

    test('a server that rejects its configuration is crashed, with exit code and last log line', async (t) => {
      const base = ganSpec('', 'crash', { replicas: 2 });
      const spec = { ...base, server: { ...base.server, maxBatchSize: 0 } };
      const f = await setUp(t, spec);
      if (!f) return;
      const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
      assert.ok(!result.ok);
      assert.equal(result.failure.kind, 'crashed');
      assert.match(result.failure.message, /exited with code 2: .*TUNE_MAX_BATCH_SIZE/);
      assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
    });

    test('a replica not ready within its timeout is not_ready and torn down', async (t) => {
      const spec = ganSpec('', 'not-ready', { readyTimeoutMs: 1 });
      const f = await setUp(t, spec);
      if (!f) return;
      const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
      assert.ok(!result.ok);
      assert.equal(result.failure.kind, 'not_ready');
      assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
    });

    test('a deployment cancelled while replicas load is not_ready and torn down', async (t) => {
      const spec = ganSpec('', 'cancelled', { replicas: 2 });
      const f = await setUp(t, spec);
      if (!f) return;
      const cancel = new AbortController();
      const deploying = f.backend.deploy({ ...spec, modelDir: f.ganDir }, cancel.signal);
      await waitForContainers(f, spec.studyId, 1); // cancel once Docker has something to tear down
      cancel.abort();
      const result = await deploying;
      assert.ok(!result.ok, 'cancelled while the first container was being created, long before gan loads');
      assert.equal(result.failure.kind, 'not_ready');
      assert.match(result.failure.message, /cancelled/);
      assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
    });

    test('a model directory that does not exist is invalid_config, and is not created on the host', async (t) => {
      const spec = ganSpec('/tmp/tune-e2e-no-such-model-dir', 'no-model-dir');
      const f = await setUp(t, spec);
      if (!f) return;
      const result = await f.backend.deploy(spec);
      assert.ok(!result.ok);
      assert.equal(result.failure.kind, 'invalid_config');
      assert.match(result.failure.message, /tune-e2e-no-such-model-dir/);
      assert.equal(existsSync(spec.modelDir), false);
      assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
    });

    test('a missing image is image_missing', async (t) => {
      const spec = ganSpec('', 'no-image');
      const f = await setUp(t, spec);
      if (!f) return;
      const backend = f.withImage('tune-server:does-not-exist-e2e');
      const result = await backend.deploy({ ...spec, modelDir: f.ganDir });
      assert.ok(!result.ok);
      assert.equal(result.failure.kind, 'image_missing');
      assert.match(result.failure.message, /tune-server:does-not-exist-e2e/);
    });

    test('teardown and reap leave containers without all our labels alone', async (t) => {
      const spec = ganSpec('', 'foreign');
      const f = await setUp(t, spec);
      if (!f) return;
      const keepAlive = { Image: f.image, Entrypoint: ['node', '-e', 'setInterval(() => {}, 1000)'], HostConfig: { Memory: 64 * 1024 * 1024 } };
      const unlabelled = await f.docker.createContainer(keepAlive);
      const halfLabelled = await f.docker.createContainer({ ...keepAlive, Labels: { 'tune.study': spec.studyId, 'tune.trial': '1' } });
      const foreign = [unlabelled, halfLabelled];
      t.after(() => Promise.all(foreign.map((c) => c.remove({ force: true }).catch(() => undefined))));
      await Promise.all(foreign.map((c) => c.start()));

      const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
      assert.ok(result.ok, result.ok ? '' : result.failure.message);
      await f.backend.teardown(result.deployment);
      assert.equal(await f.backend.reap({ studyId: spec.studyId }), 0);
      for (const container of foreign) assert.equal((await container.inspect()).State.Running, true);
    });

    test('reap removes every container of a study, running or stopped', async (t) => {
      const spec = ganSpec('', 'reap', { replicas: 2 });
      const f = await setUp(t, spec);
      if (!f) return;
      const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
      assert.ok(result.ok, result.ok ? '' : result.failure.message);
      await f.docker.getContainer(result.deployment.endpoints[0]!.containerId).stop({ t: 0 });
      const health = await f.backend.health(result.deployment);
      assert.ok(!health.ok, 'a stopped replica fails the health check');
      assert.equal(await f.backend.reap({ studyId: spec.studyId }), f.reapedPerDeployment(2));
      assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
    });

    test('reconfigure changes batching in place and reloads sessions for new threads, in the same containers', async (t) => {
      const spec = ganSpec('', 'reconfigure', { replicas: 2 });
      const f = await setUp(t, spec);
      if (!f?.backend.reconfigure) return;
      const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
      assert.ok(result.ok, result.ok ? '' : result.failure.message);
      const before = await predict(result.deployment.endpoints[0]!.url);
      const containers = result.deployment.endpoints.map((e) => e.containerId);

      const batching = { ...result.deployment.spec, trialNumber: 2, server: { ...spec.server, maxBatchSize: 16, batchTimeoutUs: 2000 } };
      const changed = await f.backend.reconfigure(result.deployment, batching);
      assert.ok(changed.ok, changed.ok ? '' : changed.reason);
      assert.equal(changed.mode, 'reconfigured');
      assert.deepEqual(changed.deployment.endpoints.map((e) => e.containerId), containers, 'the same containers serve');
      for (const endpoint of changed.deployment.endpoints) {
        const config = (await (await fetch(endpoint.url + ROUTES.config)).json()) as { env: Record<string, string> };
        assert.equal(config.env[SERVER_ENV.maxBatchSize], '16');
        assert.equal(config.env[SERVER_ENV.batchTimeoutUs], '2000');
      }

      const threads = { ...batching, trialNumber: 3, server: { ...batching.server, intraOpThreads: 2, graphOptimizationLevel: 'basic' as const } };
      const reloaded = await f.backend.reconfigure(changed.deployment, threads);
      assert.ok(reloaded.ok, reloaded.ok ? '' : reloaded.reason);
      assert.equal(reloaded.mode, 'reloaded');
      assert.deepEqual(reloaded.deployment.endpoints.map((e) => e.containerId), containers);
      const after = await predict(reloaded.deployment.endpoints[0]!.url);
      assert.equal(after.predictions[0]?.label, before.predictions[0]?.label, 'the same weights answer alike after the reload');
      for (const [i, score] of (after.predictions[0]?.scores ?? []).entries()) assert.ok(Math.abs(score - (before.predictions[0]?.scores[i] ?? NaN)) < 1e-4);
      assert.deepEqual(await f.backend.health(reloaded.deployment), { ok: true });

      const otherPrecision = { ...threads, trialNumber: 4, modelDir: `${f.ganDir}-int8`, server: { ...threads.server, precision: 'int8' as const } };
      const refused = await f.backend.reconfigure(reloaded.deployment, otherPrecision);
      assert.ok(!refused.ok, 'another precision mounts another model directory: a fresh deployment');
      await f.backend.teardown(reloaded.deployment);
      assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
    });
  });
}
