/**
 * Stopping a study for real: Ctrl-C (SIGINT) mid-trial tears the trial down and prints how to resume; a
 * SIGKILL leaves a `running` trial and its containers, which the next resume marks stale and removes.
 * The resumed study then finishes its budget with contiguous trial numbers.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import { runTune, startTune } from './cli-run.ts';
import { requireDocker } from './docker-available.ts';

function containersOf(study: string, trial?: number): string[] {
  const filters = ['--filter', `label=tune.study=${study}`, ...(trial === undefined ? [] : ['--filter', `label=tune.trial=${trial}`])];
  return execFileSync('docker', ['ps', '-aq', '--filter', 'label=tune.tool=tune', ...filters], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

test('SIGINT interrupts cleanly, SIGKILL leaves a stale trial, and resume finishes the study', { timeout: 20 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'tune-e2e-stop-'));
  const db = join(dir, 'stop.db');
  const study = `e2e-stop-${process.pid}`;
  // Every trial starts containers of its own (no reconfiguration), which the test waits for by trial label.
  const args = ['--model', 'gan', '--concurrency', '4', '--budget', '3', '--duration', '4', '--warmup', '1', '--strategy', 'random', '--reconfigure', 'off', '--db', db, '--name', study];

  // 1. Ctrl-C while trial 1 runs.
  const first = startTune(args, dir);
  let stderr = '';
  first.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(() => containersOf(study, 1).length > 0, 'trial 1 to start its containers');
  first.child.kill('SIGINT');
  const interrupted = await first.done;
  assert.equal(interrupted.code, 1, interrupted.stderr);
  assert.equal(interrupted.stderr.trimEnd().split('\n').at(-1), `interrupted: resume with: tune --resume ${study} --db ${db}`);
  assert.deepEqual(containersOf(study), [], 'the interrupted trial was torn down');

  // 2. Resume, then SIGKILL while trial 2 runs: nothing gets the chance to clean up.
  const second = startTune(['--resume', study, '--db', db], dir);
  await waitFor(() => containersOf(study, 2).length > 0, 'trial 2 to start its containers');
  second.child.kill('SIGKILL');
  await second.done;
  assert.ok(containersOf(study, 2).length > 0, 'a killed process leaves its containers');

  // 3. Resume again: trial 2 is stale and reaped, the study completes.
  const third = await runTune(['--resume', study, '--db', db], dir);
  assert.equal(third.code, 0, third.stderr);
  assert.match(third.stderr, /resume: trial 2 left running by a stopped process marked stale; [1-9]\d* container\(s\) removed/);

  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  try {
    const trials = opened.storage.trials(study);
    assert.deepEqual(trials.map((trial) => trial.number), [0, 1, 2, 3, 4], 'numbering stays contiguous');
    assert.deepEqual(trials.map((trial) => trial.failureKind ?? trial.state).slice(0, 3), ['complete', 'interrupted', 'stale']);
    assert.equal(trials.filter((trial) => trial.state === 'complete' || (trial.state === 'failed' && trial.failureKind !== 'stale')).length, 3);
  } finally {
    opened.storage.close();
  }
  assert.deepEqual(containersOf(study), []);
});
