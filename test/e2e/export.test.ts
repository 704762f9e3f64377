/**
 * tune export on the real engine: a tiny real study of gan, then its best trial exported as a Swarm stack
 * (deployed with docker stack deploy on a single-node swarm) and as a Compose file (brought up with the
 * machine's compose client: docker stack deploy refuses a Compose file's mem_limit, memswap_limit, cpus and
 * pids_limit), each until every replica answers a prediction on 127.0.0.1, then removed and waited on until its
 * containers are gone. Only the stack and project made here are ever touched. Kubernetes has no cluster here:
 * its objects are validated against the schemas.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';
import { modelSource, requestBodies } from '../../src/app/model.ts';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import type { ModelManifest } from '../../src/models/index.ts';
import { ROUTES, SERVER_ENV } from '../../src/server/protocol.ts';
import { runTune } from './cli-run.ts';
import { requireDocker } from './docker-available.ts';
import { useSwarm } from './swarm-mode.ts';

const exec = promisify(execFile);
const docker = createDockerClient();
const dir = mkdtempSync(join(tmpdir(), 'tune-export-e2e-'));
const db = join(dir, 'e2e.db');
const study = `tune-export-e2e-${process.pid}`;
const STACK = `tune-export-test-${process.pid}`;
const PROJECT = `tune-export-test-${process.pid}-compose`;
const SERVE_TIMEOUT_MS = 180_000;

/** Every configuration has several replicas, so the exports' per-replica ports and Swarm's task slots are exercised. */
const SPACE = {
  parameters: [
    { name: 'replicas', kind: 'int', low: 2, high: 3, default: 2 },
    { name: 'cpus', kind: 'float', low: 0.5, high: 0.75, step: 0.25, default: 0.5 },
    { name: 'memory_mb', kind: 'int', low: 384, high: 512, default: 384 },
    { name: 'max_batch_size', kind: 'pow2', low: 1, high: 4, default: 1 },
    { name: 'precision', kind: 'categorical', choices: ['fp32'], default: 'fp32' },
  ],
  constraints: ['replicas * cpus <= host_cores'],
};

let studyRun: Promise<void> | undefined;
/** The tiny real study every export reads: 2 trials of gan, short windows. */
function realStudy(): Promise<void> {
  studyRun ??= (async () => {
    const space = join(dir, 'space.json');
    writeFileSync(space, JSON.stringify(SPACE));
    const run = await runTune(['--model', 'gan', '--concurrency', '2', '--budget', '2', '--duration', '2', '--warmup', '1', '--space', space, '--db', db, '--name', study], dir);
    assert.equal(run.code, 0, `the study failed:\n${run.stderr}`);
  })();
  return studyRun;
}

async function exported(format: string, port: number): Promise<string> {
  const out = join(dir, `${format}.yml`);
  const run = await runTune(['export', '--study', study, '--format', format, '--port', String(port), '--out', out, '--db', db], dir);
  assert.equal(run.code, 0, `export --format ${format} failed:\n${run.stderr}`);
  assert.match(run.stdout, new RegExp(`wrote .*${format}\\.yml: ${format} for trial \\d+ of ${study} \\(its best\\)`));
  return out;
}

/** `count` consecutive ports free on 127.0.0.1, from a random base. */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let free = true;
    for (let port = base; port < base + count && free; port++) {
      free = await new Promise<boolean>((resolve) => {
        const server = createServer();
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
      });
    }
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

/** A body like the load generator's, for the model the export mounts. */
function predictBody(modelDir: string): string {
  const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  return requestBodies(modelSource('gan'), manifest, 1)();
}

/** Waits until a prediction on 127.0.0.1:port answers 200 with one prediction; `why` explains a timeout. */
async function waitForPrediction(port: number, body: string, why: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + SERVE_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${ROUTES.predict('gan')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const answer = (await response.json()) as { predictions?: unknown[] };
      if (response.status === 200 && answer.predictions?.length === 1) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`no prediction from 127.0.0.1:${port} within ${SERVE_TIMEOUT_MS / 1000} s (${last}): ${await why()}`);
}

async function containersLabelled(label: string): Promise<string[]> {
  const { stdout } = await exec('docker', ['ps', '-aq', '--filter', `label=${label}`]);
  return stdout.split('\n').filter(Boolean);
}

async function waitUntilGone(label: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while ((await containersLabelled(label)).length > 0) {
    if (Date.now() > deadline) assert.fail(`containers labelled ${label} are still there after 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The settings every replica must run with, read back from the engine. */
async function assertHardened(ids: readonly string[], cpus: number, memoryBytes: number, swapOff: boolean): Promise<void> {
  for (const id of ids) {
    const info = await docker.getContainer(id).inspect();
    assert.equal(info.Config.User, '10001:10001');
    assert.equal(info.HostConfig.NetworkMode, 'host');
    assert.equal(info.HostConfig.NanoCpus, Math.round(cpus * 1e9));
    assert.equal(info.HostConfig.Memory, memoryBytes);
    if (swapOff) assert.equal(info.HostConfig.MemorySwap, memoryBytes);
    assert.equal(info.HostConfig.PidsLimit, 256);
    assert.equal(info.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
    assert.ok(!('tune.tool' in (info.Config.Labels ?? {})), 'tune reap must not take exported replicas');
  }
}

/** ['docker', 'compose'] or ['docker-compose'], whichever this machine has. */
async function composeClient(): Promise<string[] | undefined> {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    try {
      await exec(command[0]!, [...command.slice(1), 'version']);
      return command;
    } catch {
      // try the next
    }
  }
  return undefined;
}

let releaseSwarm: (() => Promise<void>) | undefined;
after(async () => {
  await releaseSwarm?.();
});

describe('tune export on the real engine', { timeout: 20 * 60_000 }, () => {
  test('swarm: the stack deploys on a single-node swarm and every task answers on its slot’s port', async (t: TestContext) => {
    if (!(await requireDocker(t))) return;
    await realStudy();
    const base = await freePortRange(8);
    const file = await exported('swarm', base);
    const stack = parse(readFileSync(file, 'utf8')) as {
      services: { gan: { image: string; deploy: { replicas: number; resources: { limits: { cpus: string; memory: string } } }; volumes: { source: string }[]; environment: Record<string, string> } };
    };
    const service = stack.services.gan;
    const replicas = service.deploy.replicas;
    assert.ok(replicas >= 2, 'several tasks, each on its own slot');
    assert.equal(service.environment[SERVER_ENV.portSlot], '{{.Task.Slot}}');
    await docker.getImage(service.image).inspect(); // the tag the export names is the one the study built
    const body = predictBody(service.volumes[0]!.source);

    releaseSwarm = await useSwarm(docker);
    const label = `com.docker.stack.namespace=${STACK}`;
    try {
      await exec('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', file, STACK]);
      const why = async () => (await exec('docker', ['stack', 'ps', STACK, '--no-trunc', '--format', '{{.Name}} {{.CurrentState}} {{.Error}}'])).stdout.trim();
      for (let slot = 1; slot <= replicas; slot++) await waitForPrediction(base + slot - 1, body, why);
      const ids = await containersLabelled(label);
      assert.equal(ids.length, replicas);
      const memory = Number(/^(\d+)M$/.exec(service.deploy.resources.limits.memory)?.[1]) * 1024 * 1024;
      await assertHardened(ids, Number(service.deploy.resources.limits.cpus), memory, false);
    } finally {
      await exec('docker', ['stack', 'rm', STACK]).catch(() => undefined);
      await waitUntilGone(label);
    }
  });

  test('compose: every replica service comes up on its own port and answers', async (t: TestContext) => {
    if (!(await requireDocker(t))) return;
    const client = await composeClient();
    if (client === undefined) {
      if (process.env.CI) assert.fail('no compose client (docker compose or docker-compose): scripts/setup.sh installs docker-compose');
      t.skip('no compose client (docker compose or docker-compose) on this machine');
      return;
    }
    await realStudy();
    const base = await freePortRange(8);
    const file = await exported('compose', base);
    const compose = parse(readFileSync(file, 'utf8')) as { services: Record<string, { environment: Record<string, string>; volumes: { source: string }[]; cpus: number; mem_limit: string }> };
    const services = Object.values(compose.services);
    assert.ok(services.length >= 2, 'a service per replica');
    assert.deepEqual(services.map((service) => Number(service.environment[SERVER_ENV.port])), services.map((_, i) => base + i));
    const body = predictBody(services[0]!.volumes[0]!.source);

    const label = `com.docker.compose.project=${PROJECT}`;
    const compose_ = (...args: string[]) => exec(client[0]!, [...client.slice(1), '-p', PROJECT, '-f', file, ...args]);
    try {
      await compose_('up', '-d');
      const why = async () => (await compose_('ps')).stdout.trim();
      for (let i = 0; i < services.length; i++) await waitForPrediction(base + i, body, why);
      const ids = await containersLabelled(label);
      assert.equal(ids.length, services.length);
      const memory = Number(/^(\d+)m$/.exec(services[0]!.mem_limit)?.[1]) * 1024 * 1024;
      await assertHardened(ids, services[0]!.cpus, memory, true);
    } finally {
      await compose_('down', '--timeout', '10').catch(() => undefined);
      await waitUntilGone(label);
    }
  });

  test('kubernetes: the objects of the real best trial pass the Kubernetes schemas', async (t: TestContext) => {
    if (!(await requireDocker(t))) return;
    await realStudy();
    const file = await exported('kubernetes', 8501);
    const [deploymentDoc, serviceDoc] = parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS());
    const deployment = new Deployment(deploymentDoc);
    deployment.validate();
    new Service(serviceDoc).validate();
    const container = deployment.spec!.template.spec!.containers[0]!;
    assert.equal(container.readinessProbe?.httpGet?.path, ROUTES.ready);
    assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL']);
    assert.match(String(container.resources?.limits?.cpu), /^\d+m$/);
  });
});
