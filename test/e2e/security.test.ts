import type Docker from 'dockerode';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Deployment } from '../../src/deploy/backend.ts';
import { dockerAvailable, requireDocker } from './docker-available.ts';
import { deployFixture, execIn, ganSpec, studyContainers, type DeployFixture } from '../../support/deploy-fixture.ts';

/** Loopback 127.0.0.1 as /proc/net/tcp writes it (little-endian hex). */
const LOOPBACK_HEX = '0100007F';
const TCP_LISTEN = '0A';

/** The local addresses listening on `port`, read inside the container from /proc/net/tcp and tcp6. */
const LISTENERS_SCRIPT = (port: number) => `
const fs = require('fs');
const port = '${port.toString(16).toUpperCase().padStart(4, '0')}';
const rows = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((f) => fs.readFileSync(f, 'utf8').trim().split('\\n').slice(1));
const listening = rows.map((r) => r.trim().split(/\\s+/)).filter((c) => c[1].endsWith(':' + port) && c[3] === '${TCP_LISTEN}');
process.stdout.write(JSON.stringify(listening.map((c) => c[1].split(':')[0])));`;

describe('replica hardening', () => {
  let f: DeployFixture | undefined;
  let deployment: Deployment | undefined;
  let info: Docker.ContainerInspectInfo;
  const spec = ganSpec('', 'security');

  before(async () => {
    if (!(await dockerAvailable())) return;
    f = await deployFixture();
    const result = await f.backend.deploy({ ...spec, modelDir: f.ganDir });
    assert.ok(result.ok, result.ok ? '' : result.failure.message);
    deployment = result.deployment;
    info = await f.docker.getContainer(deployment.endpoints[0]!.containerId).inspect();
  });

  after(async () => {
    if (f) await f.backend.reap({ studyId: spec.studyId });
    if (f) assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
  });

  test('runs as uid 10001 with a read-only root, no capabilities and no privilege escalation', async (t) => {
    if (!(await requireDocker(t))) return;
    assert.equal(info.Config.User, '10001:10001');
    assert.equal(info.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual(info.HostConfig.SecurityOpt, ['no-new-privileges']);
    assert.equal(info.HostConfig.Privileged, false);
    assert.equal(info.HostConfig.PidsLimit, 256);
    const uid = await execIn(f!.docker, info.Id, ['node', '-e', 'process.stdout.write(String(process.getuid()))']);
    assert.equal(uid.stdout, '10001');
  });

  test('has ONNX Runtime telemetry switched off', async (t) => {
    if (!(await requireDocker(t))) return;
    assert.ok(info.Config.Env.includes('ORT_DISABLE_TELEMETRY=1'));
    const logs = await f!.docker.getContainer(info.Id).logs({ stdout: true, stderr: true, follow: false });
    assert.doesNotMatch(Buffer.from(logs).toString('utf8'), /telemetry/i);
  });

  test('has memory equal to memory+swap (no swap)', async (t) => {
    if (!(await requireDocker(t))) return;
    assert.equal(info.HostConfig.Memory, spec.memoryMb * 1024 * 1024);
    assert.equal(info.HostConfig.MemorySwap, info.HostConfig.Memory);
  });

  test('cannot write outside /tmp', async (t) => {
    if (!(await requireDocker(t))) return;
    const write = (path: string) => execIn(f!.docker, info.Id, ['node', '-e', `require('fs').writeFileSync('${path}', 'x')`]);
    assert.notEqual((await write('/app/planted.js')).exitCode, 0);
    assert.notEqual((await write('/models/planted.onnx')).exitCode, 0);
    assert.equal((await write('/tmp/scratch')).exitCode, 0);
  });

  test('uses host networking and listens on 127.0.0.1 only', async (t) => {
    if (!(await requireDocker(t))) return;
    assert.equal(info.HostConfig.NetworkMode, 'host');
    const port = Number(new URL(deployment!.endpoints[0]!.url).port);
    const listeners = await execIn(f!.docker, info.Id, ['node', '-e', LISTENERS_SCRIPT(port)]);
    assert.equal(listeners.exitCode, 0, listeners.stderr);
    assert.deepEqual(JSON.parse(listeners.stdout), [LOOPBACK_HEX]);
  });
});
