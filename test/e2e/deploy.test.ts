import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, test, type TestContext } from 'node:test';
import type { DeploymentSpec } from '../../src/deploy/backend.ts';
import { DockerBackend } from '../../src/deploy/docker/backend.ts';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { ensureImage } from '../../src/deploy/image.ts';
import { backendContract } from './backend-contract.ts';
import { requireDocker } from './docker-available.ts';
import { deployFixture, ganSpec, studyContainers, type DeployFixture } from '../../support/deploy-fixture.ts';

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
