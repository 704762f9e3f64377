/**
 * The studies that measure one study's best configuration on another's model (pure), so a transfer penalty
 * rests on a measurement rather than on the target's GP posterior: for every ordered pair of studies on
 * different models, a one-trial study like the target (model, concurrency, windows, objective, space) with
 * the source's best pinned on the parameters both search. Its trial 0, the baseline, is that configuration.
 */
import type { StudyTrials } from '../report/study-trials.ts';
import type { Params } from '../space/params.ts';
import type { Objective, StudyRecord } from '../storage/storage.ts';
import { isStoredSpace } from '../study/study-space.ts';
import { sharedParameterNames } from './rank-agreement.ts';
import { bestOf } from './transfer.ts';

export interface PlannedTransfer {
  source: string;
  target: string;
  /** The transfer study to create (createdAt left to the caller), or why there is none. */
  study?: StudyRecord;
  note?: string;
}

export function transferStudyId(source: string, target: string): string {
  return `${target}-with-best-of-${source}`;
}

export function plannedTransfers(studies: readonly StudyTrials[], metric: Objective): PlannedTransfer[] {
  return studies.flatMap((source) =>
    studies.filter((target) => target.study.model !== source.study.model).map((target) => plannedTransfer(source, target, metric)),
  );
}

function plannedTransfer(source: StudyTrials, target: StudyTrials, metric: Objective): PlannedTransfer {
  const ids = { source: source.study.id, target: target.study.id };
  const best = bestOf(source, metric);
  if (best === undefined) return { ...ids, note: `${ids.source} has no complete trial to transfer` };
  const stored = target.study.space;
  if (!isStoredSpace(stored)) return { ...ids, note: `${ids.target} has no search space this version can read` };
  const pins: Params = Object.fromEntries(sharedParameterNames(source, target).flatMap((name) => (best.params[name] === undefined ? [] : [[name, best.params[name]!]])));
  const study: StudyRecord = {
    ...target.study,
    id: transferStudyId(ids.source, ids.target),
    budget: 1,
    space: { ...stored, pinned: { ...stored.pinned, ...pins } },
  };
  return { ...ids, study };
}
