/**
 * The search space a replayed study searched: its stored document parsed again with the context of the host it
 * ran on (not this machine's: `replicas * cpus <= host_cores` must cut where it cut then), its pins applied.
 * Every trial must be a configuration of that space, or the surrogate could not place it.
 */
import { spaceContextOf } from '../host/host.ts';
import { kindOf } from '../space/kinds/index.ts';
import type { SearchSpace } from '../space/space.ts';
import { spaceFromStored } from '../study/study-space.ts';
import { ReplayFileError, type ReplayFile, type ReplayResult } from './replay-file.ts';

/** `source` names the file in messages. */
export function replaySpace(replay: ReplayFile, source: string): ReplayResult<SearchSpace> {
  const rebuilt = spaceFromStored(replay.space, spaceContextOf(replay.study.host));
  if (!rebuilt.ok) return { ok: false, error: new ReplayFileError('replay_bad_space', `${source}: the stored search space cannot be read: ${rebuilt.error.message}`) };
  const space = rebuilt.value;
  for (const trial of replay.trials) {
    const outside = space.parameters.find((p) => {
      const value = trial.params[p.name];
      return value === undefined || !kindOf(p).contains(p, value);
    });
    if (outside !== undefined) {
      const message = `${source}: trial ${trial.number} has ${outside.name} = ${JSON.stringify(trial.params[outside.name] ?? null)}, not a value of the study's space`;
      return { ok: false, error: new ReplayFileError('replay_trial_outside_space', message) };
    }
  }
  return { ok: true, value: space };
}
