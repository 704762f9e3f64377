/**
 * `tune plot` and `tune report`: the stored studies' plots, and one HTML report with the Pareto-optimal
 * configurations and, once the studies span several models, the cross-model analysis. With `transfer`, each
 * study's best configuration is first measured on the other studies' models (one trial each, stored as
 * transfer studies), so transfer penalties are measured rather than predicted. A transfer that cannot be
 * planned or run (its configuration outside the target's space) is noted and skipped; the others still run.
 */
import type { StudyTrials, TrialRecord } from '../domain/records.ts';
import type { Objective } from '../domain/vocabulary.ts';
import { crossModelAnalysis } from '../dse/cross-model/analysis.ts';
import { storedSpaceReader } from '../dse/cross-model/study-model.ts';
import { plannedTransfers, transferStudyId } from '../dse/cross-model/transfer.ts';
import { crossModelHtml } from '../dse/cross-model/view.ts';
import { paretoHtml, paretoListings } from '../dse/pareto.ts';
import { spaceContext } from '../host/host.ts';
import { writePlots, writeReport } from '../report/files.ts';
import type { Storage } from '../storage/storage.ts';
import { ensureStored, loadedStudies } from './campaign.ts';
import { TuneError } from './errors.ts';
import type { RunHooks } from './run-study.ts';
import { openExistingStorage, withStorage } from './storage.ts';
import { setupOf } from './study-setup.ts';

export interface ReportRequest {
  db: string;
  studies: readonly string[];
  out: string;
}

/** Writes the studies' plots (SVG and PNG) into `out`; returns the files written. */
export async function writeStudyPlots(request: ReportRequest): Promise<string[]> {
  return withStorage(openExistingStorage(request.db), async (storage) => {
    const written = await writePlots(storage, request.studies, request.out);
    if (!written.ok) throw new TuneError(written.error.code, `${written.error.message} (list them with: tune studies --db ${request.db})`, 'usage');
    return written.files;
  });
}

/** Writes the HTML report to `out`, measuring the transfers first when asked. */
export async function writeStudyReport(request: ReportRequest & { transfer: boolean }, hooks: RunHooks): Promise<void> {
  await withStorage(openExistingStorage(request.db), async (storage) => {
    if (request.transfer) await measureTransfers(loadedStudies(storage, request.studies), 'mean', request.db, storage, hooks);
    const written = await writeReport(storage, request.studies, request.out, undefined, analysisSections(storage));
    if (!written.ok) throw new TuneError(written.error.code, `${written.error.message} (list them with: tune studies --db ${request.db})`, 'usage');
  });
}

/** Pareto-optimal configurations always; the cross-model analysis once the studies span several models. */
function analysisSections(storage: Storage): (studies: readonly StudyTrials[]) => string[] {
  return (studies) => {
    const sections = [paretoHtml(paretoListings(studies))];
    if (new Set(studies.map((entry) => entry.study.model)).size > 1) {
      const options = { spaceOf: storedSpaceReader(spaceContext()), transferTrials: storedTransferTrials(storage) };
      sections.push(crossModelHtml(crossModelAnalysis(studies, options)));
    }
    return sections;
  };
}

export async function measureTransfers(studies: readonly StudyTrials[], metric: Objective, db: string, storage: Storage, hooks: RunHooks, now: () => Date = () => new Date()): Promise<void> {
  for (const planned of plannedTransfers(studies, metric)) {
    const { study } = planned;
    const what = `best of ${planned.source} on ${planned.target}`;
    if (study === undefined) {
      hooks.note(`not measured: ${what}: ${planned.note}`);
      continue;
    }
    try {
      await ensureStored(study.id, storage, { db, run: true, hooks }, async () => setupOf({ ...study, createdAt: now().toISOString() }, true));
    } catch (error) {
      if (!(error instanceof TuneError) || error.kind !== 'usage') throw error; // interruptions and engine failures stop here
      hooks.note(`not measured: ${what}: ${error.message}`);
    }
  }
}

/** What the cross-model analysis reads: the transfer study's trials, none when it was never run. */
function storedTransferTrials(storage: Storage): (source: string, target: string) => TrialRecord[] {
  return (source, target) => storage.trials(transferStudyId(source, target));
}
