/**
 * `tune report --transfer`: measures each study's best configuration on the other studies' models, one
 * trial each, stored as transfer studies (src/dse/transfer-plan.ts) that the cross-model analysis then reads.
 * A transfer that cannot be planned or run (its configuration outside the target's space) is reported and
 * skipped; the others still run.
 */
import { plannedTransfers, transferStudyId } from '../dse/transfer-plan.ts';
import type { StudyTrials } from '../report/study-trials.ts';
import type { Objective, Storage, TrialRecord } from '../storage/storage.ts';
import { CliError } from './cli-error.ts';
import type { CliIo } from './io.ts';
import { setupOf } from './study-setup.ts';
import { ensureStored } from './study-runs.ts';

export async function measureTransfers(studies: readonly StudyTrials[], metric: Objective, db: string, storage: Storage, io: CliIo, now: () => Date = () => new Date()): Promise<void> {
  for (const planned of plannedTransfers(studies, metric)) {
    const { study } = planned;
    const what = `best of ${planned.source} on ${planned.target}`;
    if (study === undefined) {
      io.err(`not measured: ${what}: ${planned.note}`);
      continue;
    }
    try {
      await ensureStored(study.id, db, storage, true, io, async () => setupOf({ ...study, createdAt: now().toISOString() }, true));
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== 2) throw error; // interruptions and engine failures stop here
      io.err(`not measured: ${what}: ${error.message}`);
    }
  }
}

/** What the cross-model analysis reads: the transfer study's trials, none when it was never run. */
export function storedTransferTrials(storage: Storage): (source: string, target: string) => TrialRecord[] {
  return (source, target) => storage.trials(transferStudyId(source, target));
}
