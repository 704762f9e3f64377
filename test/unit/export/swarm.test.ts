import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { serverEnv } from '../../../src/deploy/docker/container-config.ts';
import { swarmFile, type SwarmDocument } from '../../../src/export/swarm.ts';
import { ROUTES, SERVER_ENV } from '../../../src/server/protocol.ts';
import { exportInput, MODEL_DIR } from './fixture.ts';

const input = exportInput({ port: 9200 });
const text = swarmFile(input);
const parsed = parse(text) as SwarmDocument;
const service = parsed.services.gan!;

describe('swarm export', () => {
  test('a stack file of one service with the trial’s replicas', () => {
    assert.equal(parsed.version, '3.9');
    assert.deepEqual(Object.keys(parsed.services), ['gan']);
    assert.equal(service.deploy.replicas, 3);
  });

  test('host networking through the external network named host', () => {
    assert.deepEqual(parsed.networks, { hostnet: { external: true, name: 'host' } });
    assert.deepEqual(service.networks, ['hostnet']);
  });

  test('each task listens on the base port moved up by its slot', () => {
    const env: Record<string, string> = service.environment;
    assert.equal(env[SERVER_ENV.port], '9200');
    assert.deepEqual(env, { ...serverEnv(input.spec, 9200), [SERVER_ENV.portSlot]: '{{.Task.Slot}}' });
  });

  test('limits and reservations: CPUs, memory, pids', () => {
    assert.deepEqual(service.deploy.resources.limits, { cpus: '0.75', memory: '1536M', pids: 256 });
    assert.deepEqual(service.deploy.resources.reservations, { cpus: '0.75', memory: '1536M' });
  });

  test('restarted on failure (a served model, not a one-shot trial), updated stop-first (ports are fixed)', () => {
    assert.equal(service.deploy.restart_policy.condition, 'on-failure');
    assert.equal(service.deploy.update_config.order, 'stop-first');
  });

  test('the hardening a stack can carry, the model read-only, /tmp a sized tmpfs', () => {
    assert.equal(service.user, '10001:10001');
    assert.equal(service.read_only, true);
    assert.deepEqual(service.cap_drop, ['ALL']);
    assert.deepEqual(service.security_opt, ['no-new-privileges']);
    assert.deepEqual(service.volumes, [
      { type: 'bind', source: MODEL_DIR, target: '/models', read_only: true },
      { type: 'tmpfs', target: '/tmp', tmpfs: { size: 64 * 1024 * 1024 } },
    ]);
    assert.ok(!('tune.tool' in service.labels) && !('tune.tool' in service.deploy.labels));
  });

  test('a healthcheck on the ready route that reads the slot from the environment', () => {
    const script = service.healthcheck.test[3]!;
    assert.deepEqual(service.healthcheck.test.slice(0, 3), ['CMD', 'node', '-e']);
    assert.ok(script.includes(ROUTES.ready) && script.includes('TUNE_PORT_SLOT'));
  });

  test('the header says what Swarm ignores, how to deploy and which ports the tasks take', () => {
    const header = text.split('\n').filter((line) => line.startsWith('#'));
    assert.ok(header.some((line) => /^# Swarm ignores security_opt .*swap/.test(line)));
    assert.ok(header.some((line) => /docker stack deploy -c FILE NAME/.test(line) && /ports 9200-9202/.test(line)));
    assert.ok(header.some((line) => /study gan-bo-c16-b20-s1, trial 4/.test(line)));
  });

  test('--bind with a subnet: each task binds its node’s address in it', () => {
    const bound = parse(swarmFile(exportInput({ bind: '10.77.0.0/24' }))) as SwarmDocument;
    assert.equal(bound.services.gan!.environment[SERVER_ENV.host], '10.77.0.0/24');
    assert.ok(bound.services.gan!.healthcheck.test[3]!.includes('networkInterfaces'));
  });
});
