/**
 * Campaigns (compare, sweep, variants, transfer) run many studies; each one is got here: reused when its budget
 * is spent, resumed when not, created when missing. Names are derived from the settings, so running the same
 * command again continues or reuses what was measured.
 */
import type { InputShapes, StudyTrials } from '../domain/records.ts';
import { attemptsSoFar } from '../domain/trials.ts';
import { loadStudies } from '../report/study-trials.ts';
import type { Params } from '../space/params.ts';
import type { Storage } from '../storage/storage.ts';
import type { Objective } from '../domain/vocabulary.ts';
import type { Precision } from '../server/protocol.ts';
import { TuneError, usageError } from './errors.ts';
import { executeStudy, type RunHooks, type StudyRunOptions } from './run-study.ts';
import { prepareStudy, withPins, type StudySetup, type TuneArgs } from './study-setup.ts';

/** Whether a campaign may run studies, or only reads what is stored (--no-run). */
export interface CampaignRun {
  db: string;
  run: boolean;
  hooks: RunHooks;
}

/** The named study, finished (or run to `run.untilAttempts`), with `pins` held besides the precision the options can pin. */
export function ensureStudy(args: TuneArgs & { name: string }, pins: Params, storage: Storage, campaign: CampaignRun, run: StudyRunOptions = {}): Promise<void> {
  return ensureStored(args.name, storage, campaign, async () => withPins(await prepareStudy(args, storage), pins), run);
}

/** Study `id`, finished (or at `run.untilAttempts`): reused when that is reached, resumed when not, else set up by `create`. */
export async function ensureStored(id: string, storage: Storage, campaign: CampaignRun, create: () => Promise<StudySetup>, run: StudyRunOptions = {}): Promise<void> {
  const stored = storage.getStudy(id);
  if (stored !== undefined && attemptsSoFar(storage.trials(id)) >= Math.min(stored.budget, run.untilAttempts ?? stored.budget)) return;
  if (!campaign.run) {
    if (stored) return campaign.hooks.note(`warning: study ${id} is unfinished; using what it has`);
    throw usageError(`study ${id} is not in ${campaign.db}: run without --no-run to create it`);
  }
  const setup = stored ? await prepareStudy({ db: campaign.db, resume: id }, storage) : await create();
  const result = await executeStudy(setup, storage, campaign.hooks, run);
  if (result.status === 'interrupted') throw new TuneError('interrupted', 'interrupted: run the same command again to continue');
  if (result.status === 'stopped') throw new TuneError('study_stopped', `study ${id} stopped: ${result.reason}; run the same command again to continue`);
}

/** Stored studies with their trials, or a one-line error naming the missing one. */
export function loadedStudies(storage: Storage, ids: readonly string[]): StudyTrials[] {
  const result = loadStudies(storage, ids);
  if (!result.ok) throw new TuneError(result.error.code, result.error.message);
  return result.studies;
}

/** What every campaign's studies share with `tune`. */
export interface CampaignStudyOptions {
  model: string;
  budget: number;
  db: string;
  space?: string;
  duration?: number;
  warmup?: number;
  objective: Objective;
  sloP99?: number;
  precision?: Precision;
  /** Recorded traffic every study replays, and item shapes for a user model's dynamic input dims (as tune takes them). */
  workload?: string;
  inputShape?: InputShapes;
  run: boolean;
}

export function newStudyArgs(options: CampaignStudyOptions): TuneArgs {
  const { model, budget, db, space, duration, warmup, objective, sloP99, precision, workload, inputShape } = options;
  // A campaign compares strategies at checkpoints of the search: confirming each study's winner is not part of it.
  return { model, budget, db, space, duration, warmup, objective, sloP99, precision, workload, inputShape, confirm: 0 };
}
