import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { serverEnv } from '../../../src/deploy/docker/container-config.ts';
import { composeDocument, composeFile, type ComposeDocument } from '../../../src/export/compose.ts';
import { ROUTES, SERVER_ENV } from '../../../src/server/protocol.ts';
import { exportInput, MODEL_DIR } from './fixture.ts';

const input = exportInput({ port: 9100 });
const text = composeFile(input);
const parsed = parse(text) as ComposeDocument;

describe('compose export', () => {
  test('one service per replica, each on its own port from the base port, host networking', () => {
    assert.deepEqual(Object.keys(parsed.services), ['gan-1', 'gan-2', 'gan-3']);
    const ports = Object.values(parsed.services).map((service) => service.environment[SERVER_ENV.port]);
    assert.deepEqual(ports, ['9100', '9101', '9102']);
    for (const service of Object.values(parsed.services)) assert.equal(service.network_mode, 'host');
  });

  test('each service carries exactly the server environment serverEnv() gives its replica, as strings', () => {
    Object.values(parsed.services).forEach((service, replica) => {
      assert.deepEqual(service.environment, serverEnv(input.spec, 9100 + replica));
    });
    const env = parsed.services['gan-1']!.environment;
    assert.equal(env[SERVER_ENV.maxBatchSize], '8');
    assert.equal(env[SERVER_ENV.batchTimeoutUs], '2000');
    assert.equal(env[SERVER_ENV.intraOpThreads], '1');
    assert.equal(env[SERVER_ENV.executionMode], 'parallel');
    assert.equal(env[SERVER_ENV.graphOptimizationLevel], 'extended');
    assert.equal(env[SERVER_ENV.queueBound], '64', 'the queue bound the study ran with (concurrency 16 → the default 64)');
  });

  test("limits: the trial's CPUs, memory with swap off and the pids limit", () => {
    for (const service of Object.values(parsed.services)) {
      assert.equal(service.cpus, 0.75);
      assert.equal(service.mem_limit, '1536m');
      assert.equal(service.memswap_limit, service.mem_limit);
      assert.equal(service.pids_limit, 256);
    }
  });

  test('hardening as the Docker backend applies it, and the model mounted read-only', () => {
    const service = parsed.services['gan-2']!;
    assert.equal(service.user, '10001:10001');
    assert.equal(service.read_only, true);
    assert.deepEqual(service.cap_drop, ['ALL']);
    assert.deepEqual(service.security_opt, ['no-new-privileges']);
    assert.deepEqual(service.tmpfs, ['/tmp:rw,noexec,nosuid,size=64m']);
    assert.deepEqual(service.volumes, [{ type: 'bind', source: MODEL_DIR, target: '/models', read_only: true }]);
    assert.equal(service.image, 'tune-server:0123abcd4567');
    assert.equal(service.restart, 'unless-stopped');
  });

  test('a healthcheck on the ready route through node, the only client in the image', () => {
    const check = parsed.services['gan-1']!.healthcheck;
    assert.deepEqual(check.test.slice(0, 3), ['CMD', 'node', '-e']);
    assert.ok(check.test[3]!.includes(ROUTES.ready));
    assert.ok(!check.test[3]!.includes('$'), 'no $: compose would interpolate it');
  });

  test('labelled as an export, never with the label tune reap removes', () => {
    const labels = parsed.services['gan-1']!.labels;
    assert.equal(labels['tune.export.study'], input.study.id);
    assert.equal(labels['tune.export.trial'], '4');
    assert.ok(!('tune.tool' in labels));
  });

  test('--bind sets TUNE_HOST of every replica', () => {
    const bound = composeDocument(exportInput({ bind: '10.77.0.0/24' }));
    for (const service of Object.values(bound.services)) assert.equal(service.environment[SERVER_ENV.host], '10.77.0.0/24');
  });

  test("a '$' in a value is doubled, so compose does not read it as a variable", () => {
    const dollar = { ...input, spec: { ...input.spec, modelDir: '/models/$team/gan' } };
    const service = (parse(composeFile(dollar)) as ComposeDocument).services['gan-1']!;
    assert.equal(service.volumes[0]!.source, '/models/$$team/gan');
  });

  test('the header names the study, trial, measurements, image and replica addresses', () => {
    const header = text.split('\n').filter((line) => line.startsWith('#')).join('\n');
    assert.match(header, /study gan-bo-c16-b20-s1, trial 4 \(the best by mean latency\)/);
    assert.match(header, /mean 12\.5 ms, p99 31\.3 ms, throughput 80 req\/s/);
    assert.match(header, /image: tune-server:0123abcd4567: `tune image build` builds exactly this tag/);
    assert.match(header, /pushed to its registry/);
    assert.match(header, /gan-1 on 127\.0\.0\.1:9100, gan-2 on 127\.0\.0\.1:9101, gan-3 on 127\.0\.0\.1:9102/);
    assert.ok(text.startsWith('# tune export --format compose'));
  });
});
