/**
 * Commands that run many studies (compare, sweep, variants) get each one here: reused when its budget is spent,
 * resumed when not, created when missing. Names are derived from the settings, so running the same command
 * again continues or reuses what was measured.
 */
import { loadStudies, type StudyTrials } from '../report/study-trials.ts';
import type { Params } from '../space/params.ts';
import { pinParameters } from '../space/pin.ts';
import { defaults } from '../space/space.ts';
import type { Storage } from '../storage/storage.ts';
import { isStoredSpace } from '../study/study-space.ts';
import { attemptsSoFar } from '../study/trial-history.ts';
import { CliError, usageError } from './cli-error.ts';
import type { CliIo } from './io.ts';
import { runWithProgress } from './study-execution.ts';
import { prepareStudy, type StudySetup, type TuneArgs } from './study-setup.ts';

/**
 * The named study, finished (with `pins` held besides the precision `tune` itself can pin). With run false,
 * only what is stored is used.
 */
export function ensureStudy(args: TuneArgs & { name: string }, pins: Params, storage: Storage, run: boolean, io: CliIo): Promise<void> {
  return ensureStored(args.name, args.db, storage, run, io, async () => withPins(await prepareStudy(args, storage), pins));
}

/** Study `id` in `db`, finished: reused when its budget is spent, resumed when not, else set up by `create`. */
export async function ensureStored(id: string, db: string, storage: Storage, run: boolean, io: CliIo, create: () => Promise<StudySetup>): Promise<void> {
  const stored = storage.getStudy(id);
  if (stored !== undefined && attemptsSoFar(storage.trials(id)) >= stored.budget) return;
  if (!run) {
    if (stored) return io.err(`warning: study ${id} is unfinished; using what it has`);
    throw usageError(`study ${id} is not in ${db}: run without --no-run to create it`);
  }
  const setup = stored ? await prepareStudy({ db, resume: id }, storage) : await create();
  const result = await runWithProgress(setup, storage, io);
  if (result.status === 'interrupted') throw new CliError('interrupted', 'interrupted: run the same command again to continue');
  if (result.status === 'stopped') throw new CliError('study_stopped', `study ${id} stopped: ${result.reason}; run the same command again to continue`);
}

/** Stored studies with their trials, or a one-line error naming the missing one. */
export function loadedStudies(storage: Storage, ids: readonly string[]): StudyTrials[] {
  const result = loadStudies(storage, ids);
  if (!result.ok) throw new CliError(result.error.code, result.error.message);
  return result.studies;
}

/** Pins on top of the ones `tune` applied, kept in the stored space so a resume searches the same space. */
function withPins(setup: StudySetup, pins: Params): StudySetup {
  if (Object.keys(pins).length === 0) return setup;
  const pinned = pinParameters(setup.space, pins);
  if (!pinned.ok) throw usageError(pinned.error.message);
  const stored = setup.study.space;
  if (!isStoredSpace(stored)) throw usageError(`study ${setup.study.id}: its search space cannot take extra pins`);
  const space = pinned.value;
  return { ...setup, space, baseline: defaults(space), study: { ...setup.study, space: { ...stored, pinned: { ...stored.pinned, ...pins } } } };
}
