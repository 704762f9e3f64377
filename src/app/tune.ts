/**
 * `tune`: run a new study or resume one, or (dry run) only plan it. A dry run creates nothing, not even the
 * database file; resuming needs the study's database, a new study creates it.
 */
import { existsSync } from 'node:fs';
import type { TrialRecord } from '../domain/records.ts';
import type { StudySummary } from '../domain/summary.ts';
import { backendOf, parallelOf } from '../domain/trials.ts';
import { gridSize } from '../samplers/grid.ts';
import type { StudyRun } from '../study/tuning-loop.ts';
import { summaryWithPosterior } from './inspect.ts';
import { studyPlan, type StudyPlan } from './plan.ts';
import { availableParallelism } from 'node:os';
import { checkHostCores } from './backends.ts';
import { executeStudy, type RunHooks } from './run-study.ts';
import { openExistingStorage, openStorage, withStorage } from './storage.ts';
import { prepareStudy, type TuneArgs } from './study-setup.ts';

export interface TuneOutcome {
  status: StudyRun['status'];
  /** Why a stopped study stopped. */
  reason?: string;
  summary: StudySummary;
  trials: TrialRecord[];
  /** The command that continues the study, unless it completed. */
  resume?: string;
}

export async function tune(args: TuneArgs, hooks: RunHooks): Promise<TuneOutcome> {
  const storage = args.resume === undefined ? openStorage(args.db) : openExistingStorage(args.db);
  return withStorage(storage, async (storage) => {
    const setup = await prepareStudy(args, storage);
    const run = await executeStudy(setup, storage, hooks, { placement: { nodes: args.nodes, registry: args.registry, bind: args.bind } });
    const { study } = setup;
    return {
      status: run.status,
      ...(run.status === 'stopped' && { reason: run.reason }),
      summary: summaryWithPosterior(storage, study),
      trials: storage.trials(study.id),
      ...(run.status !== 'complete' && { resume: `tune --resume ${study.id} --db ${args.db}` }),
    };
  });
}

export async function planTune(args: TuneArgs): Promise<StudyPlan> {
  const storage = existsSync(args.db) ? openStorage(args.db) : undefined;
  try {
    const setup = await prepareStudy(args, storage);
    if (backendOf(setup.study) === 'docker') checkHostCores(setup.space, parallelOf(setup.study), availableParallelism());
    return studyPlan(setup, args.db, setup.study.strategy === 'grid' ? gridSize(setup.space) : undefined);
  } finally {
    storage?.close();
  }
}
