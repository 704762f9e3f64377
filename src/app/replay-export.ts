/**
 * `tune replay-export`: a stored study's measured trials as a replay file (src/replay/replay-file.ts), for the
 * optimizer benchmark's real problems (bench/optimizers/replays). Refuses, in one line, a study the database does
 * not hold, one with several objectives and one with no complete trial.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatReplay } from '../replay/replay-file.ts';
import { replayOfStudy } from '../replay/from-study.ts';
import { TuneError } from './errors.ts';
import { openExistingStorage, requireStudy, withStorage } from './storage.ts';

export interface ReplayExportRequest {
  db: string;
  study: string;
  /** Default: `<study>.replay.json` in the working directory. */
  out?: string;
}

export interface ReplayExportResult {
  study: string;
  out: string;
  trials: number;
  complete: number;
  failed: number;
}

export function defaultReplayPath(study: string): string {
  return `${study}.replay.json`;
}

export async function replayExport(request: ReplayExportRequest): Promise<ReplayExportResult> {
  const made = await withStorage(openExistingStorage(request.db), (storage) => {
    const study = requireStudy(storage, request.study, request.db);
    return replayOfStudy(study, storage.trials(study.id));
  });
  if (!made.ok) throw new TuneError(made.code, made.message, 'usage');
  const { replay } = made;
  const out = request.out ?? defaultReplayPath(replay.study.id);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, formatReplay(replay));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new TuneError('replay_unwritable', `cannot write the replay file ${out} (${reason}): pass a writable path with --out`);
  }
  const complete = replay.trials.filter((trial) => trial.state === 'complete').length;
  return { study: replay.study.id, out, trials: replay.trials.length, complete, failed: replay.trials.length - complete };
}
