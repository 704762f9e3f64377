import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Docker from 'dockerode';
import type { DeploymentSpec } from '../../../src/deploy/backend.ts';
import { serverEnv } from '../../../src/deploy/docker/container-config.ts';
import { capacityProblem, claimNodes, NodeLedger, selectPool, type SwarmNode } from '../../../src/deploy/swarm/nodes.ts';
import { serviceName, serviceSpec, TASK_SLOT } from '../../../src/deploy/swarm/service-spec.ts';
import { currentTasks, readTask, unschedulableReason, type TaskInfo } from '../../../src/deploy/swarm/tasks.ts';
import { SERVER_ENV } from '../../../src/server/protocol.ts';

const spec: DeploymentSpec = {
  studyId: 'gan bo/c4',
  trialNumber: 3,
  modelName: 'gan',
  modelDir: '/cache/models/gan/fp32',
  replicas: 3,
  cpus: 0.5,
  memoryMb: 256,
  server: { maxBatchSize: 4, batchTimeoutUs: 500, queueBound: 16, intraOpThreads: 1, interOpThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', precision: 'fp32' },
  readyTimeoutMs: 30_000,
};

const node = (id: string, overrides: Partial<SwarmNode> = {}): SwarmNode => ({
  id,
  hostname: `host-${id}`,
  address: `10.77.0.${id.length}`,
  ready: true,
  active: true,
  labels: {},
  cpus: 2,
  memoryBytes: 4 * 2 ** 30,
  ...overrides,
});

describe('serviceSpec', () => {
  const made = serviceSpec(spec, { image: '127.0.0.1:5000/tune-server:abc', basePort: 20000, bind: '10.77.0.0/24', excludedNodes: ['n2', 'n3'] });
  const template = made.TaskTemplate as Docker.ContainerTaskSpec;
  const container = template.ContainerSpec!;

  test('one replicated service of the trial\'s replicas, named from the study and trial in Swarm\'s alphabet', () => {
    assert.deepEqual(made.Mode, { Replicated: { Replicas: 3 } });
    assert.equal(made.Name, 'tune-gan-bo-c4-t3');
    assert.match(serviceName({ ...spec, studyId: 'x'.repeat(80) }), /^tune-x{40}-t3$/);
  });

  test('the server knobs as environment, the base port and the task slot, and the bind subnet', () => {
    const env = new Set(container.Env);
    for (const [name, value] of Object.entries(serverEnv(spec, 20000, '10.77.0.0/24'))) assert.ok(env.has(`${name}=${value}`), name);
    assert.ok(env.has(`${SERVER_ENV.portSlot}=${TASK_SLOT}`));
    assert.ok(env.has(`${SERVER_ENV.host}=10.77.0.0/24`));
  });

  test('limits reserved as well (the scheduler then never oversubscribes a node), never restarted, on host networking', () => {
    const limits = { NanoCPUs: 500_000_000, MemoryBytes: 256 * 2 ** 20 };
    assert.deepEqual(template.Resources, { Limits: { ...limits, Pids: 256 }, Reservations: limits });
    assert.deepEqual(template.RestartPolicy, { Condition: 'none' });
    assert.deepEqual(template.Networks, [{ Target: 'host' }]);
  });

  test('hardened as a Docker replica: non-root, read-only root with a tmpfs /tmp, no capabilities, the model read-only', () => {
    assert.equal(container.User, '10001:10001');
    assert.equal(container.ReadOnly, true);
    assert.deepEqual(container.CapabilityDrop, ['ALL']);
    assert.deepEqual(container.Mounts?.[0], { Type: 'bind', Source: spec.modelDir, Target: '/models', ReadOnly: true });
    assert.equal(container.Mounts?.[1]?.Type, 'tmpfs');
  });

  test('labelled as ours on the service and its containers, and kept off the nodes it did not claim', () => {
    const labels = { 'tune.tool': 'tune', 'tune.study': 'gan bo/c4', 'tune.trial': '3' };
    assert.deepEqual(made.Labels, labels);
    assert.deepEqual(container.Labels, labels);
    assert.deepEqual(template.Placement?.Constraints, ['node.id!=n2', 'node.id!=n3']);
  });
});

describe('the node pool and the nodes each trial claims', () => {
  const nodes = [node('a', { labels: { pool: 'bench' } }), node('bb', { labels: { pool: 'bench' } }), node('ccc'), node('dddd', { ready: false })];

  test('by default every ready, active node; else the nodes named by hostname, ID or label', () => {
    const all = selectPool(nodes, undefined);
    assert.ok(all.ok && all.pool.map((n) => n.id).join() === 'a,bb,ccc');
    const named = selectPool(nodes, ['host-ccc', 'a']);
    assert.ok(named.ok && named.pool.map((n) => n.id).join() === 'ccc,a');
    const labelled = selectPool(nodes, ['pool=bench']);
    assert.ok(labelled.ok && labelled.pool.map((n) => n.id).join() === 'a,bb');
  });

  test('a name that matches no ready node is refused, listing the nodes', () => {
    const down = selectPool(nodes, ['host-dddd']);
    assert.ok(!down.ok);
    assert.match(down.message, /no ready node matches "host-dddd" \(nodes: host-a, host-bb, host-ccc, host-dddd \(not ready\)\)/);
  });

  test('each trial in flight gets ready nodes of its own; a lone trial gets them all; none free means wait', () => {
    const pool = nodes.slice(0, 3);
    const ids = (claim: ReturnType<typeof claimNodes>) => (claim.ok ? claim.nodes.map((n) => n.id) : claim.reason);
    assert.deepEqual(ids(claimNodes(pool, new Set(), 1)), ['a', 'bb', 'ccc']);
    assert.deepEqual(ids(claimNodes(pool, new Set(), 2)), ['a']);
    assert.deepEqual(ids(claimNodes(pool, new Set(['a']), 2)), ['bb']);
    assert.deepEqual(ids(claimNodes(pool, new Set(['a', 'bb', 'ccc']), 3)), 'all_busy');
    const own = claimNodes(pool, new Set(), 2);
    assert.ok(own.ok && !own.shared);
  });

  test('a node that went down is never handed out, so the study goes on on the others', () => {
    const pool = [node('a', { ready: false }), node('bb')];
    const claim = claimNodes(pool, new Set(), 2);
    assert.ok(claim.ok && claim.nodes.map((n) => n.id).join() === 'bb');
    assert.deepEqual(claimNodes(pool, new Set(['bb']), 2), { ok: false, reason: 'all_busy' });
    assert.deepEqual(claimNodes([node('a', { ready: false })], new Set(), 1), { ok: false, reason: 'none_ready' });
  });

  test('the ledger holds granted nodes at once and serves waiting trials first come first served', () => {
    const pool = [node('a'), node('bb')];
    const ledger = new NodeLedger(2);
    const granted = (claim: ReturnType<NodeLedger['claim']>) => (claim.ok ? claim.nodes.map((n) => n.id).join() : claim.reason);
    for (const name of ['t0', 't1', 't2']) ledger.enqueue(name);
    assert.equal(granted(ledger.claim('t1', pool)), 'all_busy', 't1 waits behind t0');
    assert.equal(granted(ledger.claim('t0', pool)), 'a');
    ledger.leave('t0');
    assert.equal(granted(ledger.claim('t1', pool)), 'bb', 'a is held: t1 gets the other node');
    ledger.leave('t1');
    assert.equal(granted(ledger.claim('t2', pool)), 'all_busy');
    ledger.release('t0');
    assert.equal(granted(ledger.claim('t2', pool)), 'a', 'released by t0');
  });

  test('with fewer nodes than trials in flight, trials share the ready nodes (their reservations keep CPUs apart)', () => {
    const claim = claimNodes([node('a')], new Set(['a']), 2);
    assert.ok(claim.ok && claim.shared && claim.nodes.map((n) => n.id).join() === 'a');
  });

  test('a trial larger than its nodes can ever hold is named before any service is made', () => {
    const two = [node('a'), node('bb')];
    assert.equal(capacityProblem(two, 4, 1, 2 ** 30), undefined);
    assert.match(capacityProblem(two, 1, 4, 2 ** 30) ?? '', /a replica of 4 CPUs and 1024 MB fits on no node \(host-a: 2 CPUs, 4096 MB; host-bb/);
    assert.match(capacityProblem(two, 5, 1, 2 ** 30) ?? '', /5 replicas .* more than the 4 that fit/);
    // Memory decides too: one 3 GB replica per 4 GB node, whatever the CPUs left.
    assert.equal(capacityProblem(two, 2, 0.5, 3 * 2 ** 30), undefined);
    assert.match(capacityProblem(two, 3, 0.5, 3 * 2 ** 30) ?? '', /3 replicas .* more than the 2 that fit/);
  });
});

describe('reading Swarm tasks', () => {
  const task = (state: string, extra: Partial<NonNullable<TaskInfo['Status']>> = {}, rest: Partial<TaskInfo> = {}): TaskInfo => ({
    ID: 't',
    Slot: 1,
    DesiredState: 'running',
    Status: { State: state, ContainerStatus: { ContainerID: 'c1', ...extra.ContainerStatus }, ...extra },
    ...rest,
  });

  test('starting, running, and pending with the scheduler\'s reason', () => {
    assert.deepEqual(readTask(task('preparing'), 0), { phase: 'starting' });
    assert.deepEqual(readTask(task('running'), 0), { phase: 'running', containerId: 'c1' });
    const pending = readTask(task('pending', { Err: 'no suitable node (insufficient resources on 1 node)' }), 0);
    assert.deepEqual(pending, { phase: 'starting', waitingFor: 'no suitable node (insufficient resources on 1 node)' });
    assert.equal(unschedulableReason(pending.phase === 'starting' ? pending.waitingFor : undefined), 'no suitable node (insufficient resources on 1 node)');
    assert.equal(unschedulableReason(undefined), undefined);
  });

  test('ended tasks say why: image missing, mount refused, exit code, node gone', () => {
    const kind = (t: TaskInfo) => {
      const reading = readTask(t, 0);
      return reading.phase === 'ended' ? reading.failure.kind : reading.phase;
    };
    assert.equal(kind(task('rejected', { Err: 'No such image: tune-server:nope' })), 'image_missing');
    assert.equal(kind(task('rejected', { Err: 'invalid mount config for type "bind": bind source path does not exist: /x' })), 'invalid_config');
    assert.equal(kind(task('failed', { Err: 'task: non-zero exit (2)', ContainerStatus: { ContainerID: 'c1', ExitCode: 2 } })), 'crashed');
    assert.equal(kind(task('orphaned')), 'node_down');
    const exited = readTask(task('failed', { Err: 'task: non-zero exit (2)', ContainerStatus: { ContainerID: 'c1', ExitCode: 2 } }), 1);
    assert.ok(exited.phase === 'ended' && /replica 1 exited with code 2/.test(exited.failure.message));
  });

  test('the current task of each slot is the one the service wants running, in slot order', () => {
    const old = task('failed', {}, { ID: 'old', Slot: 2, DesiredState: 'shutdown' });
    const now = task('running', {}, { ID: 'new', Slot: 2 });
    const first = task('running', {}, { ID: 'one', Slot: 1 });
    assert.deepEqual(currentTasks([old, now, first]).map((t) => t.ID), ['one', 'new']);
    assert.deepEqual(currentTasks([now, old]).map((t) => t.ID), ['new']);
  });
});
