import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { TuneError } from '../../../src/app/errors.ts';
import { isRunning, thisProcess, whileClaimed } from '../../../src/app/claim.ts';
import { MemoryStorage } from '../../../src/storage/memory.ts';
import { aStudy } from '../storage/fixtures.ts';

/** The pid of a process that has ended (spawnSync waits for it and reaps it). */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid !== undefined && child.status === 0);
  return child.pid;
}

describe('study claims of this process', () => {
  const here = thisProcess();

  test('a process on this host is running until it ends; one on another host is assumed running', () => {
    assert.equal(isRunning(here), true);
    assert.equal(isRunning({ host: here.host, pid: process.ppid }), true);
    assert.equal(isRunning({ host: here.host, pid: endedPid() }), false);
    assert.equal(isRunning({ host: `not-${here.host}`, pid: endedPid() }), true);
  });

  test('a study held by a live process is refused in one line, without running anything', async () => {
    const storage = new MemoryStorage();
    storage.createStudy(aStudy());
    storage.claimStudy('resnet-c8-bo-1', { host: here.host, pid: process.ppid }, () => true);
    let ran = false;
    await assert.rejects(
      whileClaimed(storage, 'resnet-c8-bo-1', async () => void (ran = true)),
      (error: TuneError) => error.code === 'study_busy' && error.message.includes(`process ${process.ppid} on ${here.host}`) && !error.message.includes('\n'),
    );
    assert.equal(ran, false);
  });

  test("a dead process's claim is taken over, and the claim ends with the run, even a failed one", async () => {
    const storage = new MemoryStorage();
    storage.createStudy(aStudy());
    storage.claimStudy('resnet-c8-bo-1', { host: here.host, pid: endedPid() }, () => true);
    await assert.rejects(whileClaimed(storage, 'resnet-c8-bo-1', async () => {
      assert.equal(storage.claimStudy('resnet-c8-bo-1', { host: here.host, pid: process.ppid }, () => true).ok, false, 'held during the run');
      throw new Error('trial loop failed');
    }), /trial loop failed/);
    assert.deepEqual(storage.claimStudy('resnet-c8-bo-1', { host: here.host, pid: process.ppid }, () => true), { ok: true }, 'released after it');
  });
});
