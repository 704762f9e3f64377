/**
 * Parallel trials on one Docker host: refused in one line when the host lacks a core block per trial; otherwise
 * each trial in flight runs on CPUs of its own (read from the containers while they run), every row is
 * committed, Ctrl-C tears every trial in flight down, and nothing is left behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { leftovers, removeStudyContainers, runningReplica, studyContainers, trialRows } from '../../support/study-state.ts';
import { runTune, startTune, waitFor } from '../../support/tune-process.ts';
import { requireDocker } from './docker-available.ts';

const ONE_CPU_SPACE = new URL('../../support/spaces/gan-one-cpu.json', import.meta.url).pathname;

describe('tune --parallel on one Docker host', () => {
  const docker = createDockerClient();
  const dir = mkdtempSync(join(tmpdir(), 'tune-parallel-'));
  const study = `parallel-${process.pid}`;
  after(async () => {
    await removeStudyContainers(docker, study);
    rmSync(dir, { recursive: true, force: true });
  });

  test('more trials than the host has core blocks for is refused before anything runs, in one line', async (t) => {
    if (!(await requireDocker(t))) return;
    const db = join(dir, 'refused.db');
    const run = await runTune(['--model', 'gan', '--concurrency', '2', '--budget', '3', '--parallel', String(availableParallelism() + 1), '--db', db]);
    assert.equal(run.code, 2, run.stderr.join('\n'));
    const refusal = run.stderr.filter((line) => line.startsWith('error') || line.includes('--parallel'));
    assert.equal(refusal.length, 1, run.stderr.join('\n'));
    assert.match(refusal[0]!, /--parallel \d+ gives each trial 0 of this host's \d+ cores/);
  });

  test('two trials in flight each run on a cpuset of their own, and every row is committed', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    if (availableParallelism() < 2) return t.skip('needs two cores');
    const db = join(dir, 'study.db');
    const args = ['--model', 'gan', '--concurrency', '2', '--budget', '4', '--seed', '5', '--duration', '3', '--warmup', '1', '--space', ONE_CPU_SPACE];
    const tune = startTune([...args, '--parallel', '2', '--name', study, '--db', db]);
    // Sampled while it runs: which trials had a container at once, and on which CPUs.
    const cpusets = new Map<string, string>();
    const together: string[][] = [];
    let running = true;
    const watching = (async () => {
      while (running) {
        const now = (await studyContainers(docker, study).catch(() => [])).filter((c) => c.State === 'running');
        for (const c of now) {
          if (!cpusets.has(c.Labels['tune.trial']!)) {
            const info = await docker.getContainer(c.Id).inspect().catch(() => undefined);
            if (info) cpusets.set(c.Labels['tune.trial']!, info.HostConfig.CpusetCpus ?? '');
          }
        }
        if (now.length > 1) together.push(now.map((c) => c.Labels['tune.trial']!));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const exit = await tune.exited;
    running = false;
    await watching;
    assert.equal(exit.code, 0, tune.stderr.join('\n'));
    const rows = trialRows(db, study);
    assert.equal(rows.length, 4);
    assert.ok(rows.every((r) => r.state === 'complete'), rows.map((r) => `${r.number}: ${r.failure_message ?? r.state}`).join('; '));
    assert.ok(together.length > 0, 'two trials ran at once');
    for (const pair of together) {
      const sets = pair.map((trial) => cpusets.get(trial));
      assert.equal(new Set(sets).size, sets.length, `trials ${pair.join(' and ')} ran together on cpusets ${sets.join(' and ')}`);
    }
    assert.ok([...cpusets.values()].every((set) => /^\d+(-\d+)?$/.test(set)), `every replica is pinned: ${[...cpusets.values()].join(', ')}`);
    assert.deepEqual(await leftovers(docker, study), []);
  });

  test('Ctrl-C with two trials in flight tears both down within 10 s; resume completes the budget', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    if (availableParallelism() < 2) return t.skip('needs two cores');
    const name = `${study}-sigint`;
    const db = join(dir, 'sigint.db');
    const args = ['--model', 'gan', '--concurrency', '2', '--budget', '3', '--seed', '5', '--duration', '3', '--warmup', '1', '--space', ONE_CPU_SPACE];
    t.after(() => removeStudyContainers(docker, name));
    const tune = startTune([...args, '--parallel', '2', '--name', name, '--db', db]);
    await waitFor('two trials running', async () => ((await runningReplica(docker, name, 0)) && (await runningReplica(docker, name, 1))) || undefined, 180_000);
    const sentAt = tune.kill('SIGINT');
    const exit = await tune.exited;
    assert.ok(exit.code !== 0 && exit.code !== null, `exit code ${exit.code}`);
    assert.ok(exit.at - sentAt <= 10_000, `teardown took ${(exit.at - sentAt).toFixed(0)} ms`);
    const rows = trialRows(db, name);
    assert.deepEqual(rows.map((r) => [r.number, r.state]), [[0, 'interrupted'], [1, 'interrupted']]);
    assert.deepEqual(await leftovers(docker, name), [], 'both trials torn down');

    const resumed = await runTune(['--resume', name, '--db', db]);
    assert.equal(resumed.code, 0, resumed.stderr.join('\n'));
    const after = trialRows(db, name);
    assert.equal(after.filter((r) => r.state === 'complete').length, 3);
    assert.deepEqual(await leftovers(docker, name), []);
  });
});
