/**
 * The Docker engine becomes unreachable mid-study. The shared engine is never stopped: tune talks to it
 * through a unix-socket proxy started here (DOCKER_HOST), and the test cuts the proxy in the middle of a
 * trial. The trial fails as engine_unreachable and the study stops with a resume line; with the proxy back,
 * `--resume` finishes the study, finished rows are byte-identical and no container (or service) is left. Run on
 * both backends: on a swarm the proxy stands between tune and the manager.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { DockerProxy } from '../../support/docker-proxy.ts';
import { leftovers, removeStudyContainers, studyServices, rowsInState, runningReplica, trialRows } from '../../support/study-state.ts';
import { runTune, startTune, tinyStudyArgs, waitFor } from '../../support/tune-process.ts';
import { BACKENDS } from '../../src/domain/records.ts';
import { requireDocker } from './docker-available.ts';
import { useSwarm } from './swarm-mode.ts';

for (const backend of BACKENDS) {
  describe(`fault: the Docker engine becomes unreachable mid-study (${backend} backend)`, () => {
    const docker = createDockerClient();
    const dir = mkdtempSync(join(tmpdir(), 'tune-faults-engine-'));
    const study = `faults-engine-${backend}-${process.pid}`;
    let release: (() => Promise<void>) | undefined;
    const proxy = new DockerProxy(join(dir, 'docker.sock'));

    after(async () => {
      await proxy.cut();
      await removeStudyContainers(docker, study);
      await release?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test('trial fails engine_unreachable, study stops with a resume line, resume finishes', { timeout: 300_000 }, async (t) => {
      if (!(await requireDocker(t))) return;
      if (backend === 'swarm') release = await useSwarm(docker);
      await proxy.start();
      const db = join(dir, 'study.db');
      const env = { DOCKER_HOST: proxy.dockerHost };
      const tune = startTune([...tinyStudyArgs(study, db, 3), '--backend', backend], env);
      await waitFor('trial 1 replica running', () => runningReplica(docker, study, 1), 180_000);
      await sleep(1500);
      await proxy.cut();
      const exit = await tune.exited;
      console.log(tune.stderr.slice(-3).join('\n'));

      assert.equal(exit.code, 1, `exit ${exit.code}: ${tune.stderr.slice(-2).join(' | ')}`);
      const stopped = trialRows(db, study);
      assert.equal(stopped[0]!.state, 'complete');
      // The loop may try one more configuration before concluding the engine, not the config, is at fault.
      const cut = stopped.slice(1);
      for (const row of cut) {
        assert.equal(row.state, 'failed');
        assert.equal(row.failure_kind, 'engine_unreachable', `trial ${row.number}: ${row.failure_message}`);
      }
      assert.ok(cut.length >= 1 && cut.length <= 2, `trials after the cut: ${cut.length}`);
      const resumeLine = tune.stderr.find((line) => line.includes(`tune --resume ${study}`));
      assert.ok(resumeLine, 'a resume line is printed');
      assert.ok(!tune.stderr.some((line) => /^\s+at\s/.test(line)), 'no stack trace');

      await proxy.restore();
      const resumed = await runTune(['--resume', study, '--db', db], env);
      console.log(resumed.stderr.join('\n'));
      assert.equal(resumed.code, 0, resumed.stderr.join('\n'));
      const rows = trialRows(db, study);
      assert.deepEqual(rows.slice(0, stopped.length), stopped, 'rows finished before the resume are byte-identical');
      assert.deepEqual(rows.map((r) => r.number), rows.map((_, i) => i));
      assert.equal(rowsInState(rows, 'running').length, 0);
      assert.equal(rowsInState(rows, 'complete').length + rowsInState(rows, 'failed').length, rows.length);
      assert.deepEqual(await leftovers(docker, study), [], 'no container left behind, the cut trial\'s included');
      assert.deepEqual(await studyServices(docker, study), [], 'no service left behind');
    });
  });
}
