/**
 * This process's claim on the study it runs (Storage.claimStudy): a second `tune` on the same study is refused
 * with one line instead of reaping the first one's running trial. A claim left by a process that died on this
 * host is taken over; one held from another host is assumed live (its process cannot be checked from here).
 */
import os from 'node:os';
import { processExists } from '../host/host.ts';
import type { Storage, StudyRunner } from '../storage/storage.ts';
import { TuneError } from './errors.ts';

export function thisProcess(): StudyRunner {
  return { host: os.hostname(), pid: process.pid };
}

export function isRunning(holder: StudyRunner, self: StudyRunner = thisProcess()): boolean {
  return holder.host !== self.host || processExists(holder.pid);
}

/** Runs `body` holding the claim on `studyId`; the claim ends with it, whatever the outcome. */
export async function whileClaimed<T>(storage: Storage, studyId: string, body: () => Promise<T>): Promise<T> {
  const self = thisProcess();
  const claim = storage.claimStudy(studyId, self, (holder) => isRunning(holder, self));
  if (!claim.ok) {
    const { host, pid } = claim.holder;
    throw new TuneError('study_busy', `study ${studyId} is being run by process ${pid} on ${host} since ${claim.since}: let it finish or stop it, then run this command again`);
  }
  try {
    return await body();
  } finally {
    try {
      storage.releaseStudy(studyId, self);
    } catch {
      // A claim left behind names this process, which is about to end: the next run takes it over.
    }
  }
}
