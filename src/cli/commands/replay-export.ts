/** `tune replay-export --study S`: a study's measured trials as a replay file for bench/optimizers. */
import type { CommandModule } from 'yargs';
import { replayExport } from '../../app/replay-export.ts';
import type { CliIo } from '../io.ts';
import { dbOption, studyOption } from './shared-options.ts';

interface ReplayExportArgs {
  study: string;
  db: string;
  out?: string;
}

export function replayExportCommand(io: CliIo): CommandModule<object, ReplayExportArgs> {
  return {
    command: 'replay-export',
    describe: "Write a study's measured trials to a replay file, for the optimizer benchmark's real problems",
    builder: (yargs) =>
      yargs
        .options({
          study: studyOption,
          db: dbOption,
          out: { type: 'string', requiresArg: true, describe: 'File to write (default: <study>.replay.json)' },
        })
        .example('$0 replay-export --study marian-bo-c20-b150-s1', 'writes marian-bo-c20-b150-s1.replay.json')
        .example('$0 replay-export --study marian-bo-c20-b150-s1 --out bench/optimizers/replays/marian-c20.json', 'a real problem for bench/optimizers'),
    handler: async (args) => {
      const result = await replayExport({ db: args.db, study: args.study, out: args.out });
      io.out(`wrote ${result.trials} trials (${result.complete} complete, ${result.failed} failed) of study ${result.study} to ${result.out}`);
    },
  };
}
