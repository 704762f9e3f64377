/**
 * Cheaper trials through the real CLI, containers and load: a configuration far worse than the incumbent is
 * stopped early and reached by changing the running replica in place; with both switched off the same study
 * measures it in full on a fresh deployment. Then a SIGKILL in the middle of a reconfiguration, caught at the
 * engine request that changes the replica's quota: resume leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { DockerProxy } from '../../support/docker-proxy.ts';
import { leftovers, removeStudyContainers, trialRows } from '../../support/study-state.ts';
import { runTune, startTune } from '../../support/tune-process.ts';
import { requireDocker } from './docker-available.ts';

const SPACE = fileURLToPath(new URL('../../support/spaces/gan-cpu-pair.json', import.meta.url));
const DURATION_S = 8;

/** Baseline at 1 CPU, then the same replica at a tenth of a CPU: some ten times slower. */
function pairStudy(name: string, db: string, extra: string[] = []): string[] {
  return ['--model', 'gan', '--concurrency', '4', '--budget', '2', '--strategy', 'grid', '--space', SPACE, '--duration', String(DURATION_S), '--warmup', '1', '--name', name, '--db', db, ...extra];
}

describe('cheaper trials on the real engine', () => {
  const docker = createDockerClient();
  const dir = mkdtempSync(join(tmpdir(), 'tune-cheaper-'));
  const studies: string[] = [];
  const study = (suffix: string) => {
    const name = `cheaper-${suffix}-${process.pid}`;
    studies.push(name);
    return name;
  };

  after(async () => {
    for (const name of studies) await removeStudyContainers(docker, name);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a far worse configuration is stopped early on the reconfigured replica; switched off it is measured in full', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    const db = join(dir, 'pair.db');
    const on = study('on');
    const run = await runTune(pairStudy(on, db));
    assert.equal(run.code, 0, run.stderr.join('\n'));
    const [baseline, slow] = trialRows(db, on);
    assert.equal(baseline?.deploy_mode, 'fresh');
    assert.equal(baseline?.stopped_early, 0, 'nothing to compare the baseline with');
    assert.equal(slow?.state, 'complete', 'a trial stopped early is complete, with its partial figures');
    assert.equal(slow?.stopped_early, 1);
    assert.equal(slow?.deploy_mode, 'reconfigured');
    assert.ok(Number(slow?.window_s) < DURATION_S / 2, `stopped after ${String(slow?.window_s)} s of ${DURATION_S}`);
    assert.ok(Number(slow?.objective_value) > 1.1 * Number(baseline?.objective_value));
    assert.ok(run.stderr.some((line) => /trial 1 complete \(.*stopped early at/.test(line)), run.stderr.join('\n'));
    assert.deepEqual(await leftovers(docker, on), []);

    const off = study('off');
    const full = await runTune(pairStudy(off, db, ['--early-stop', 'off', '--reconfigure', 'off']));
    assert.equal(full.code, 0, full.stderr.join('\n'));
    const slowFull = trialRows(db, off)[1];
    assert.equal(slowFull?.stopped_early, 0);
    assert.equal(slowFull?.deploy_mode, 'fresh');
    assert.ok(Number(slowFull?.window_s) >= DURATION_S - 0.5, `measured ${String(slowFull?.window_s)} s`);
    assert.deepEqual(await leftovers(docker, off), []);
  });

  test('SIGKILL while the running replica is being reconfigured: resume reaps it and finishes the budget', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    const db = join(dir, 'kill.db');
    const name = study('sigkill');
    let tune: ReturnType<typeof startTune> | undefined;
    let killedAt: string | undefined;
    // The quota change of trial 1 is the reconfiguration's engine request: tune dies as it is sent.
    const proxy = new DockerProxy(join(dir, 'docker.sock'), (line) => {
      if (killedAt === undefined && /^POST (\/v[\d.]+)?\/containers\/\w+\/update/.test(line)) {
        killedAt = line;
        tune?.kill('SIGKILL');
      }
    });
    await proxy.start();
    try {
      tune = startTune(pairStudy(name, db), { DOCKER_HOST: proxy.dockerHost });
      const exit = await tune.exited;
      assert.equal(exit.signal, 'SIGKILL', `tune was killed at ${killedAt ?? 'no update request'}: ${tune.stderr.join('\n')}`);
    } finally {
      await proxy.cut();
    }
    assert.deepEqual(trialRows(db, name).map((r) => [r.number, r.state]), [[0, 'complete'], [1, 'running']]);
    assert.ok((await leftovers(docker, name)).length > 0, "the baseline's replica, kept for trial 1, is left behind");

    const resumed = await runTune(['--resume', name, '--db', db]);
    assert.equal(resumed.code, 0, resumed.stderr.join('\n'));
    const rows = trialRows(db, name);
    assert.deepEqual(rows.map((r) => [r.number, r.state, r.failure_kind]), [[0, 'complete', null], [1, 'failed', 'stale'], [2, 'complete', null]]);
    assert.deepEqual(await leftovers(docker, name), [], 'no container left behind');
  });
});
