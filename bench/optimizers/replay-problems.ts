/**
 * The real problems: studies of real models replayed from the files in replays/ (made by `tune replay-export`),
 * each answered by a surrogate fitted to what the study measured (src/replay/surrogate.ts): a GP posterior mean
 * on log values with each trial's measured noise, lognormal measurement noise at the level the study showed,
 * failures where the nearest measured trial failed. Noisy, so a study is scored by its posterior best, like the
 * noisy formula problems; the optimum is the surrogate's estimated one. Surrogates are fitted on first use, so
 * listing the problems (or running others) costs only reading the files.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readReplayFile, type ReplayFile } from '../../src/replay/replay-file.ts';
import { replaySpace } from '../../src/replay/replay-space.ts';
import { fitSurrogate, type Surrogate } from '../../src/replay/surrogate.ts';
import type { SearchSpace } from '../../src/space/space.ts';
import { modelSlug } from '../../src/study/study-name.ts';
import type { Problem } from './problems.ts';

/** replays/ beside this file; BENCH_REPLAYS names another folder (replays not to be committed, say). */
export const REPLAYS_DIR = process.env.BENCH_REPLAYS ?? fileURLToPath(new URL('./replays/', import.meta.url));

/** One problem per `*.json` in `dir`, in file-name order; a name two files share gets the file's name appended. */
export function replayProblems(dir: string = REPLAYS_DIR): Problem[] {
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.json')).sort() : [];
  const replays = files.map((file) => readReplay(join(dir, file)));
  const names = replays.map(({ replay }) => problemName(replay));
  return replays.map((read, i) => {
    const name = names[i] as string;
    return replayProblem(read, names.indexOf(name) === i ? name : `${name} ${basename(files[i] as string, '.json')}`);
  });
}

interface ReadReplay {
  replay: ReplayFile;
  space: SearchSpace;
}

/** Throws the file's one-line problem when it cannot be read or its space rebuilt. */
function readReplay(path: string): ReadReplay {
  const read = readReplayFile(path);
  if (!read.ok) throw read.error;
  const space = replaySpace(read.value, path);
  if (!space.ok) throw space.error;
  return { replay: read.value, space: space.value };
}

function replayProblem({ replay, space }: ReadReplay, name: string): Problem {
  let surrogate: Surrogate | undefined;
  const fitted = () => (surrogate ??= fitSurrogate(replay, space));
  return {
    name,
    space,
    measure: (params, rng) => fitted().measure(params, rng),
    truth: (params) => fitted().truth(params),
    get optimum() {
      return fitted().optimum.value;
    },
    noisy: true,
  };
}

/** e.g. "replay marian c20 (150 trials)", with the objective when it is not mean latency. */
function problemName({ study, trials }: ReplayFile): string {
  const objective = study.objective === 'mean' ? '' : ` ${study.objective}`;
  return `replay ${modelSlug(study.model)} c${study.concurrency}${objective} (${trials.length} trials)`;
}
