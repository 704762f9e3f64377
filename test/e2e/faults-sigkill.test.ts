/**
 * SIGKILL of `tune` in the middle of a trial: nothing can clean up, so `tune --resume` must. It marks the
 * stale trial failed, reaps its containers (and, on a swarm, its service) and finishes the budget; no finished
 * trial is lost, changed or duplicated. Run on both backends.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { leftovers, removeStudyContainers, studyServices, rowsInState, runningReplica, trialRows } from '../../support/study-state.ts';
import { runTune, startTune, tinyStudyArgs, waitFor } from '../../support/tune-process.ts';
import { BACKENDS } from '../../src/domain/records.ts';
import { requireDocker } from './docker-available.ts';
import { useSwarm } from './swarm-mode.ts';

for (const backend of BACKENDS) {
  describe(`fault: tune is SIGKILLed mid-trial (${backend} backend)`, () => {
    const docker = createDockerClient();
    const dir = mkdtempSync(join(tmpdir(), 'tune-faults-sigkill-'));
    const study = `faults-sigkill-${backend}-${process.pid}`;
    let release: (() => Promise<void>) | undefined;

    after(async () => {
      await removeStudyContainers(docker, study);
      await release?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test('resume fails the stale trial, reaps its containers and completes the budget', { timeout: 300_000 }, async (t) => {
      if (!(await requireDocker(t))) return;
      if (backend === 'swarm') release = await useSwarm(docker);
      const db = join(dir, 'study.db');
      const tune = startTune([...tinyStudyArgs(study, db, 3), '--backend', backend]);
      await waitFor('trial 1 replica running', () => runningReplica(docker, study, 1), 180_000);
      await sleep(1000);
      tune.kill('SIGKILL');
      await tune.exited;

      const before = trialRows(db, study);
      assert.deepEqual(before.map((r) => [r.number, r.state]), [[0, 'complete'], [1, 'running']]);
      assert.ok((await leftovers(docker, study)).length > 0, 'a SIGKILLed tune leaves its replica behind');
      if (backend === 'swarm') assert.equal((await studyServices(docker, study)).length, 1, "and the trial's service");

      const resumed = await runTune(['--resume', study, '--db', db]);
      console.log(resumed.stderr.join('\n'));
      assert.equal(resumed.code, 0, resumed.stderr.join('\n'));

      const rows = trialRows(db, study);
      assert.deepEqual(rows.map((r) => r.number), rows.map((_, i) => i), 'numbering stays contiguous, nothing duplicated');
      // The stale trial measured nothing, so it does not use up the budget: three real trials besides it.
      assert.equal(rows.filter((r) => r.failure_kind !== 'stale').length, 3);
      assert.deepEqual(rows[0], before[0], 'the finished trial is byte-identical');
      assert.equal(rows[1]!.state, 'failed');
      assert.equal(rows[1]!.failure_kind, 'stale');
      assert.equal(rowsInState(rows, 'running').length, 0);
      assert.deepEqual(await leftovers(docker, study), [], 'no container left behind');
      assert.deepEqual(await studyServices(docker, study), [], 'no service left behind');
    });
  });
}
