import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeploymentSpec } from '../../../src/deploy/backend.ts';
import { laneCpuset, replicaConfig, serverEnv, specProblem } from '../../../src/deploy/docker/container-config.ts';
import { SERVER_ENV } from '../../../src/server/protocol.ts';

const spec: DeploymentSpec = {
  studyId: 's1',
  trialNumber: 7,
  modelName: 'gan',
  modelDir: '/cache/models/gan/fp32',
  replicas: 2,
  cpus: 1.5,
  memoryMb: 512,
  server: {
    maxBatchSize: 8,
    batchTimeoutUs: 2000,
    queueBound: 32,
    intraOpThreads: 2,
    interOpThreads: 1,
    executionMode: 'parallel',
    graphOptimizationLevel: 'extended',
    precision: 'fp32',
  },
  readyTimeoutMs: 30_000,
};

describe('replicaConfig', () => {
  const config = replicaConfig(spec, { image: 'tune-server:abc', replica: 1, port: 41000 });
  const host = config.HostConfig!;

  test('sets the CPU quota in nano-CPUs and equal memory and memory+swap limits in bytes', () => {
    assert.equal(host.NanoCpus, 1_500_000_000);
    assert.equal(host.Memory, 512 * 1024 * 1024);
    assert.equal(host.MemorySwap, host.Memory);
  });

  test('hardens the container', () => {
    assert.equal(config.User, '10001:10001');
    assert.equal(host.ReadonlyRootfs, true);
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges']);
    assert.equal(host.PidsLimit, 256);
    assert.equal(host.Privileged, false);
    assert.ok(host.Tmpfs && '/tmp' in host.Tmpfs);
  });

  test('mounts the model directory read-only and uses host networking', () => {
    assert.deepEqual(host.Mounts, [{ Type: 'bind', Source: '/cache/models/gan/fp32', Target: '/models', ReadOnly: true }]);
    assert.equal(host.NetworkMode, 'host');
  });

  test('labels the replica with tool, study, trial and replica number', () => {
    assert.deepEqual(config.Labels, { 'tune.tool': 'tune', 'tune.study': 's1', 'tune.trial': '7', 'tune.replica': '1' });
  });

  test('passes every server knob as its SERVER_ENV variable', () => {
    assert.ok(config.Env?.includes(`${SERVER_ENV.port}=41000`));
    assert.ok(config.Env?.includes(`${SERVER_ENV.host}=127.0.0.1`));
    assert.ok(config.Env?.includes(`${SERVER_ENV.executionMode}=parallel`));
  });
});

describe('laneCpuset', () => {
  test('gives each parallel lane its own block of cores, and leaves a lone lane unpinned', () => {
    assert.equal(laneCpuset(0, 1, 8), undefined);
    assert.deepEqual([0, 1].map((lane) => laneCpuset(lane, 2, 2)), ['0', '1']);
    assert.deepEqual([0, 1, 2].map((lane) => laneCpuset(lane, 3, 8)), ['0-1', '2-3', '4-5']);
    assert.throws(() => laneCpuset(0, 3, 2), /cannot each have a core/);
  });

  test('a lane\'s cpuset reaches the container', () => {
    assert.equal(replicaConfig(spec, { image: 'i', replica: 0, port: 1, cpuset: '1' }).HostConfig?.CpusetCpus, '1');
    assert.equal(replicaConfig(spec, { image: 'i', replica: 0, port: 1 }).HostConfig?.CpusetCpus, undefined);
  });
});

describe('serverEnv', () => {
  test('maps the spec to the server variables', () => {
    assert.deepEqual(serverEnv(spec, 5000), {
      TUNE_MODEL_DIR: '/models',
      TUNE_MODEL_NAME: 'gan',
      TUNE_HOST: '127.0.0.1',
      TUNE_PORT: '5000',
      TUNE_MAX_BATCH_SIZE: '8',
      TUNE_BATCH_TIMEOUT_US: '2000',
      TUNE_QUEUE_BOUND: '32',
      TUNE_INTRA_OP_THREADS: '2',
      TUNE_INTER_OP_THREADS: '1',
      TUNE_EXECUTION_MODE: 'parallel',
      TUNE_GRAPH_OPT_LEVEL: 'extended',
    });
  });
});

describe('specProblem', () => {
  test('accepts a valid spec', () => assert.equal(specProblem(spec), undefined));
  test('rejects zero replicas, no CPU, memory under Docker minimum and relative model dirs', () => {
    assert.match(specProblem({ ...spec, replicas: 0 }) ?? '', /replicas/);
    assert.match(specProblem({ ...spec, replicas: 1.5 }) ?? '', /replicas/);
    assert.match(specProblem({ ...spec, cpus: 0 }) ?? '', /cpus/);
    assert.match(specProblem({ ...spec, memoryMb: 4 }) ?? '', /memoryMb/);
    assert.match(specProblem({ ...spec, modelDir: 'models/gan' }) ?? '', /absolute/);
  });
});
