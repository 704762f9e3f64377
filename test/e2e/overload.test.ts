/**
 * Overload on a real container: a gan replica (1 CPU, queue bound 16, batches of 8) under 200 concurrent
 * clients sheds the excess as prompt 503 queue_full answers, stays inside its memory limit, the load
 * generator counts the 503s as errors (not as fast latencies), and the replica serves normally afterwards.
 * Refusal latency is printed, asserted only loosely: speed goals live in bench/soak/overload.ts.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Deployment } from '../../src/deploy/backend.ts';
import { runClosedLoop } from '../../src/load/index.ts';
import { burst, formatFigures, latencyFigures } from '../../support/rejection-probe.ts';
import { requireDocker } from './docker-available.ts';
import { deployFixture, GAN_INSTANCE, ganSpec, studyContainers, type DeployFixture } from '../../support/deploy-fixture.ts';

const PATH = '/v1/models/gan:predict';
const BODY = JSON.stringify({ instances: [GAN_INSTANCE] });
const CLIENTS = 200;
const MEMORY_MB = 512;

describe('overload of a real gan replica', () => {
  let fixture: DeployFixture | undefined;
  let deployment: Deployment | undefined;

  after(async () => {
    if (fixture && deployment) await fixture.backend.teardown(deployment);
    if (fixture) await fixture.backend.reap({ studyId: ganSpec(fixture.ganDir, 'overload').studyId });
  });

  test('200 clients on a queue of 16: prompt 503s, bounded memory, then normal service', { timeout: 180_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    fixture = await deployFixture();
    const base = ganSpec(fixture.ganDir, 'overload');
    const spec = { ...base, cpus: 1, memoryMb: MEMORY_MB, server: { ...base.server, maxBatchSize: 8, batchTimeoutUs: 2000, queueBound: 16 } };
    const deployed = await fixture.backend.deploy(spec);
    assert.ok(deployed.ok, deployed.ok ? '' : deployed.failure.message);
    deployment = deployed.deployment;
    const [endpoint] = deployment.endpoints;
    const usage = await fixture.backend.startUsage(deployment);

    const loaded = await runClosedLoop({
      urls: [endpoint!.url],
      path: PATH,
      concurrency: CLIENTS,
      warmupS: 1,
      durationS: 5,
      requestTimeoutMs: 10_000,
      bodies: () => BODY,
    });
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.error.message);
    const { result } = loaded;
    const shed = result.errors.http_503 ?? 0;
    console.log(`closed loop, ${CLIENTS} clients: ${result.completed} answered 200 (${result.throughputRps.toFixed(0)}/s, p50 ${result.latency.p50.toFixed(1)} ms), errors ${JSON.stringify(result.errors)}`);
    assert.ok(shed > result.completed, `the replica should shed most of the load: ${shed} 503s vs ${result.completed} served`);
    // 503s are errors, not latencies: only successes are in the latency summary.
    assert.equal(result.latency.count, result.completed);
    assert.deepEqual(Object.keys(result.errors).filter((kind) => kind !== 'http_503'), [], 'no error but 503');

    const answers = (await burst({ url: endpoint!.url, path: PATH, body: BODY }, CLIENTS)).concat(await burst({ url: endpoint!.url, path: PATH, body: BODY }, CLIENTS));
    const refused = answers.filter((a) => a.status === 503);
    const served = answers.filter((a) => a.status === 200);
    console.log(formatFigures('503 refusals in two bursts of 200', latencyFigures(refused)));
    console.log(formatFigures('200 answers in the same bursts', latencyFigures(served)));
    assert.equal(refused.length + served.length, answers.length, `only 200 and 503 expected: ${JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 503).slice(0, 3))}`);
    assert.ok(refused.length > 0, 'a burst of 200 on a queue of 16 must be refused in part');
    assert.ok(refused.every((a) => a.code === 'queue_full'), 'every refusal is queue_full');
    // Loose: refusals must not wait behind inference for seconds. The tight goal (p99 < 50 ms) is a bench figure.
    assert.ok(latencyFigures(refused).p50 < 2000, 'refusals are answered without queueing');

    const { peakMemoryBytes } = await usage();
    console.log(`peak memory ${(peakMemoryBytes / 2 ** 20).toFixed(0)} MiB of a ${MEMORY_MB} MiB limit`);
    assert.ok(peakMemoryBytes > 0 && peakMemoryBytes < MEMORY_MB * 2 ** 20, `peak memory ${peakMemoryBytes} bytes`);
    const health = await fixture.backend.health(deployment);
    assert.ok(health.ok, health.ok ? '' : health.failure.message);

    const after = await fetch(endpoint!.url + PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
    assert.equal(after.status, 200, await after.text());

    await fixture.backend.teardown(deployment);
    deployment = undefined;
    assert.deepEqual(await studyContainers(fixture.docker, spec.studyId), [], 'no container left behind');
  });
});
