/** `tune best --study S`: the best configuration found, against the baseline. */
import type { CommandModule } from 'yargs';
import { studySummary } from '../../app/inspect.ts';
import type { CliIo } from '../io.ts';
import { formatSummary } from '../summary-text.ts';
import { studyReadOptions, type StudyReadArgs } from './shared-options.ts';

export function bestCommand(io: CliIo): CommandModule<object, StudyReadArgs> {
  return {
    command: 'best',
    describe: 'Show the best configuration of a study against its baseline',
    builder: (yargs) =>
      yargs
        .options(studyReadOptions)
        .example('$0 best --study marian-bo-c8-b20-s1', 'baseline vs best, speed-up and the configuration to deploy')
        .example('$0 best --study marian-bo-c8-b20-s1 --json', 'the same as JSON'),
    handler: async (args) => {
      const summary = await studySummary(args.db, args.study);
      io.out(args.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
    },
  };
}
