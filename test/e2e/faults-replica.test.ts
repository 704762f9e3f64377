/**
 * A replica killed by hand (docker kill) in the middle of a real study's measurement: that trial fails with
 * its reason, the study goes on to its budget, finished trials stay intact and no container is left.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { leftovers, removeStudyContainers, rowsInState, runningReplica, trialRows } from '../../support/study-state.ts';
import { startTune, tinyStudyArgs, waitFor } from '../../support/tune-process.ts';
import { requireDocker } from './docker-available.ts';

describe('fault: a replica dies mid-measurement', () => {
  const docker = createDockerClient();
  const dir = mkdtempSync(join(tmpdir(), 'tune-faults-replica-'));
  const study = `faults-replica-${process.pid}`;

  after(async () => {
    await removeStudyContainers(docker, study);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the trial fails as crashed, the study completes its budget', { timeout: 240_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    const db = join(dir, 'study.db');
    const tune = startTune(tinyStudyArgs(study, db, 3));
    // Trial 1's replica, once it is up and the load has had time to start.
    const victim = await waitFor('trial 1 replica running', () => runningReplica(docker, study, 1), 180_000);
    await waitFor('trial 1 measuring', () => tune.stderr.some((line) => /trial 1\b/.test(line)) || undefined, 30_000);
    await sleep(1500);
    await docker.getContainer(victim).kill();
    const exit = await tune.exited;
    console.log(tune.stderr.join('\n'));

    assert.equal(exit.code, 0, 'a dead replica is data, not the end of the study');
    const rows = trialRows(db, study);
    assert.deepEqual(rows.map((r) => r.number), [0, 1, 2]);
    const killed = rows[1]!;
    assert.equal(killed.state, 'failed');
    assert.match(String(killed.failure_kind), /^(crashed|oom_killed)$/, `trial 1 failure: ${killed.failure_kind}: ${killed.failure_message}`);
    assert.ok(String(killed.failure_message).length > 0 && !String(killed.failure_message).includes('\n'));
    assert.equal(rowsInState(rows, 'running').length, 0);
    assert.equal(rows[0]!.state, 'complete', 'the baseline finished before the fault');
    assert.deepEqual(await leftovers(docker, study), [], 'no container left behind');
  });
});
