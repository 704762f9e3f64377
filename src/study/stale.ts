/**
 * Recovery after a process died mid-trial: its trial is still `running` in storage and its containers may
 * still be up. Both are settled before a study resumes, so numbering stays contiguous and nothing leaks.
 */
import type { DeploymentBackend } from '../deploy/backend.ts';
import type { Storage } from '../storage/storage.ts';

export interface StaleRecovery {
  staleTrials: number[];
  containersRemoved: number;
}

export async function recoverStaleTrials(storage: Storage, backend: DeploymentBackend, studyId: string): Promise<StaleRecovery> {
  const trials = storage.trials(studyId);
  const running = trials.filter((trial) => trial.state === 'running');
  let containersRemoved = 0;
  for (const trial of running) {
    // Marked first: a failing engine must not leave the row `running` for the next resume to trip on.
    storage.finishTrial(studyId, trial.number, {
      state: 'failed',
      failureKind: 'stale',
      failureMessage: 'left running by a process that stopped; its containers were removed on resume',
    });
    containersRemoved += await backend.reap({ studyId, trialNumber: trial.number });
  }
  // A trial that failed while the engine was unreachable could not remove its replicas: on resume, reap the rest.
  if (trials.length > 0) containersRemoved += await backend.reap({ studyId });
  return { staleTrials: running.map((trial) => trial.number), containersRemoved };
}
