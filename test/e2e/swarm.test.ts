/**
 * The Swarm backend on a real single-node swarm (joined here when the engine is not in swarm mode, and left
 * again only then): the backend contract, the hardening read back from the service spec and from the task's
 * container, a request no node can hold failing as unschedulable within a bound, and a real 3-trial gan study
 * with two trials in flight. Only services this file created are ever removed.
 */
import type Docker from 'dockerode';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SwarmBackend } from '../../src/deploy/swarm/backend.ts';
import { listNodes } from '../../src/deploy/swarm/nodes.ts';
import { backendContract, type ContractFixture } from './backend-contract.ts';
import { requireDocker } from './docker-available.ts';
import { useSwarm } from './swarm-mode.ts';
import { deployFixture, execIn, ganSpec, studyContainers } from '../../support/deploy-fixture.ts';
import { leftovers, studyServices, trialRows } from '../../support/study-state.ts';
import { startRegistry } from '../../support/registry.ts';
import { runTune } from '../../support/tune-process.ts';
import { registryReference } from '../../src/deploy/image/push.ts';

let release: (() => Promise<void>) | undefined;
after(async () => release?.());

async function swarmFixture(): Promise<ContractFixture & { backend: SwarmBackend; make: (options?: { unschedulableAfterMs?: number }) => SwarmBackend }> {
  const f = await deployFixture();
  release ??= await useSwarm(f.docker);
  const nodes = await listNodes(f.docker);
  const make = (options: { image?: string; unschedulableAfterMs?: number } = {}) =>
    new SwarmBackend(f.docker, { image: options.image ?? f.image, pool: nodes, unschedulableAfterMs: options.unschedulableAfterMs });
  return { ...f, backend: make(), make, withImage: (image) => make({ image }), reapedPerDeployment: () => 1 };
}

let fixture: ReturnType<typeof swarmFixture> | undefined;
const shared = () => (fixture ??= swarmFixture());

backendContract('SwarmBackend', shared);

describe('SwarmBackend on a real swarm', () => {
  test('a service carries the limits, reservations, hardening and no-restart policy; its task container runs them', async (t) => {
    if (!(await requireDocker(t))) return;
    const f = await shared();
    const spec = { ...ganSpec(f.ganDir, 'swarm-hardening', { cpus: 0.5, memoryMb: 256 }) };
    t.after(() => f.backend.reap({ studyId: spec.studyId }));
    const result = await f.backend.deploy(spec);
    assert.ok(result.ok, result.ok ? '' : result.failure.message);
    const service = (await f.docker.getService(result.deployment.handle as string).inspect()) as { Spec: Docker.ServiceSpec & { TaskTemplate: Docker.ContainerTaskSpec } };
    const template = service.Spec.TaskTemplate;
    assert.equal(template.ContainerSpec?.User, '10001:10001');
    assert.equal(template.ContainerSpec?.ReadOnly, true);
    assert.deepEqual(template.ContainerSpec?.CapabilityDrop, ['ALL']);
    assert.deepEqual(template.RestartPolicy?.Condition, 'none');
    assert.deepEqual(template.Resources?.Limits, { NanoCPUs: 500_000_000, MemoryBytes: 256 * 2 ** 20, Pids: 256 });
    assert.deepEqual(template.Resources?.Reservations, { NanoCPUs: 500_000_000, MemoryBytes: 256 * 2 ** 20 });
    assert.equal(service.Spec.Labels?.['tune.study'], spec.studyId);

    const endpoint = result.deployment.endpoints[0]!;
    assert.equal(new URL(endpoint.url).hostname, '127.0.0.1');
    assert.ok(endpoint.node, 'the endpoint names its node');
    const info = await f.docker.getContainer(endpoint.containerId).inspect();
    assert.equal(info.HostConfig.NetworkMode, 'host');
    assert.equal(info.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
    assert.equal(info.HostConfig.NanoCpus, 500_000_000);
    assert.equal(info.HostConfig.PidsLimit, 256);
    const uid = await execIn(f.docker, info.Id, ['node', '-e', 'process.stdout.write(String(process.getuid()))']);
    assert.equal(uid.stdout, '10001');
    const write = await execIn(f.docker, info.Id, ['node', '-e', "require('fs').writeFileSync('/app/planted.js', 'x')"]);
    assert.notEqual(write.exitCode, 0, 'the root file system is read-only');
    await f.backend.teardown(result.deployment);
    assert.deepEqual(await studyServices(f.docker, spec.studyId), []);
    assert.deepEqual(await studyContainers(f.docker, spec.studyId), []);
  });

  test('a replica larger than every node is unschedulable at once, naming the node', async (t) => {
    if (!(await requireDocker(t))) return;
    const f = await shared();
    const spec = ganSpec(f.ganDir, 'swarm-too-big', { cpus: 64 });
    const result = await f.backend.deploy(spec);
    assert.ok(!result.ok);
    assert.equal(result.failure.kind, 'unschedulable');
    assert.match(result.failure.message, /64 CPUs .* fits on no node/);
    assert.deepEqual(await studyServices(f.docker, spec.studyId), []);
  });

  test('a task the scheduler cannot place (the node\'s CPUs reserved by others) fails unschedulable within the bound', async (t) => {
    if (!(await requireDocker(t))) return;
    const f = await shared();
    const [node] = await listNodes(f.docker);
    // Someone else's service reserves all but half a CPU: tune's own check sees a node large enough, the scheduler does not.
    const blocker = await f.docker.createService({}, {
      Name: `e2e-blocker-${process.pid}`,
      TaskTemplate: {
        ContainerSpec: { Image: f.image, Command: ['node', '-e', 'setInterval(() => {}, 1000)'] },
        Resources: { Reservations: { NanoCPUs: Math.round((node!.cpus - 0.5) * 1e9) } },
        RestartPolicy: { Condition: 'none' },
      },
      Mode: { Replicated: { Replicas: 1 } },
    });
    t.after(() => blocker.remove().catch(() => undefined));
    // Its reservation counts once the scheduler has placed it: only then may the trial ask.
    const placed = async () => ((await f.docker.listTasks({ filters: { service: [blocker.id] } })) as { Status?: { State?: string } }[]).some((task) => task.Status?.State === 'running');
    for (let i = 0; i < 300 && !(await placed()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(await placed(), 'the blocking service runs');
    const backend = f.make({ unschedulableAfterMs: 2000 });
    const spec = ganSpec(f.ganDir, 'swarm-pending', { cpus: 1 });
    t.after(() => backend.reap({ studyId: spec.studyId }));
    const started = Date.now();
    const result = await backend.deploy(spec);
    assert.ok(!result.ok);
    assert.equal(result.failure.kind, 'unschedulable');
    assert.match(result.failure.message, /insufficient resources|no suitable node/);
    assert.ok(Date.now() - started < 20_000, `failed after ${Date.now() - started} ms`);
    assert.deepEqual(await studyServices(f.docker, spec.studyId), [], 'the pending service is removed');
  });
});

describe('tune image push', () => {
  test('puts the server image in a registry, and a service runs from the registry\'s reference', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    const f = await shared();
    const registry = await startRegistry();
    t.after(() => registry.stop());
    const pushed = await runTune(['image', 'push', '--registry', registry.address]);
    assert.equal(pushed.code, 0, pushed.stderr.join('\n'));
    const reference = registryReference(f.image, registry.address);
    assert.deepEqual(pushed.stdout, [`pushed ${reference}`]);
    t.after(() => f.docker.getImage(reference).remove().catch(() => undefined)); // the tag only: the image stays
    const tags = (await (await fetch(`http://${registry.address}/v2/tune-server/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, [f.image.split(':')[1]]);

    const backend = f.withImage(reference);
    const spec = ganSpec(f.ganDir, 'swarm-registry');
    t.after(() => backend.reap({ studyId: spec.studyId }));
    const result = await backend.deploy(spec);
    assert.ok(result.ok, result.ok ? '' : result.failure.message);
    const info = await f.docker.getContainer(result.deployment.endpoints[0]!.containerId).inspect();
    assert.equal(info.Config.Image, reference);
    await backend.teardown(result.deployment);
  });

  test('a registry that does not answer is one line naming it', async (t) => {
    if (!(await requireDocker(t))) return;
    const pushed = await runTune(['image', 'push', '--registry', '127.0.0.1:1']);
    assert.equal(pushed.code, 1);
    assert.equal(pushed.stderr.length, 1, pushed.stderr.join('\n'));
    assert.match(pushed.stderr[0]!, /pushing 127\.0\.0\.1:1\/tune-server:\w+ failed: .*check that the registry runs/);
  });
});

describe('tune --backend swarm --parallel 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tune-swarm-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a 3-trial gan study keeps two trials in flight, records rows and nodes, and leaves nothing behind', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    const f = await shared();
    const study = `swarm-parallel-${process.pid}`;
    const db = join(dir, 'study.db');
    const space = new URL('../../support/spaces/gan-one-cpu.json', import.meta.url).pathname;
    const args = ['--model', 'gan', '--concurrency', '2', '--budget', '3', '--seed', '3', '--duration', '3', '--warmup', '1', '--space', space];
    const run = await runTune([...args, '--backend', 'swarm', '--parallel', '2', '--name', study, '--db', db]);
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const rows = trialRows(db, study);
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r.state === 'complete'), rows.map((r) => `${r.number} ${r.state} ${r.failure_message ?? ''}`).join('; '));
    const node = (await listNodes(f.docker))[0]!.hostname;
    assert.ok(rows.every((r) => r.nodes === node), 'every trial records the node it ran on');
    const overlapped = rows.some((a) => rows.some((b) => a !== b && String(a.started_at) < String(b.finished_at) && String(b.started_at) < String(a.finished_at)));
    assert.ok(overlapped, 'two trials were in flight at once');
    assert.deepEqual(await studyServices(f.docker, study), []);
    assert.deepEqual(await leftovers(f.docker, study), []);
  });
});
