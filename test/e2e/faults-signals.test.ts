/**
 * SIGINT (Ctrl-C) and SIGTERM in the middle of a real trial: tune tears the trial down, records it as
 * interrupted, prints a resume line and exits non-zero, within the 10 s the requirement allows.
 * Finished trials are untouched and no container is left.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { leftovers, removeStudyContainers, runningReplica, trialRows } from '../../support/study-state.ts';
import { startTune, tinyStudyArgs, waitFor } from '../../support/tune-process.ts';
import { requireDocker } from './docker-available.ts';

const TEARDOWN_LIMIT_MS = 10_000;

describe('fault: SIGINT or SIGTERM mid-trial', () => {
  const docker = createDockerClient();
  const dir = mkdtempSync(join(tmpdir(), 'tune-faults-signals-'));
  const studies: string[] = [];

  after(async () => {
    for (const study of studies) await removeStudyContainers(docker, study);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal}: trial interrupted, resume line, exit non-zero, teardown within 10 s`, { timeout: 240_000 }, async (t) => {
      if (!(await requireDocker(t))) return;
      const study = `faults-${signal.toLowerCase()}-${process.pid}`;
      studies.push(study);
      const db = join(dir, `${study}.db`);
      const tune = startTune(tinyStudyArgs(study, db, 3));
      await waitFor('trial 1 replica running', () => runningReplica(docker, study, 1), 180_000);
      await sleep(1500);
      const before = trialRows(db, study);
      const sentAt = tune.kill(signal);
      const exit = await tune.exited;
      const teardownMs = exit.at - sentAt;
      console.log(`${signal}: exited ${exit.code} after ${teardownMs.toFixed(0)} ms`);
      console.log(tune.stderr.slice(-3).join('\n'));

      assert.ok(exit.code !== 0 && exit.code !== null, `exit code ${exit.code} (signal ${exit.signal})`);
      assert.ok(tune.stderr.some((line) => line.includes(`tune --resume ${study}`)), 'a resume line is printed');
      assert.ok(teardownMs <= TEARDOWN_LIMIT_MS, `teardown took ${teardownMs.toFixed(0)} ms`);
      const rows = trialRows(db, study);
      assert.deepEqual(rows.map((r) => [r.number, r.state]), [[0, 'complete'], [1, 'interrupted']]);
      assert.deepEqual(rows[0], before[0], 'the finished trial is byte-identical');
      assert.deepEqual(await leftovers(docker, study), [], 'no container left behind');
    });
  }
});
