/** `tune best --study S`: the best configuration found, against the baseline. */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../io.ts';
import { posteriorBest } from '../optimizer-facts.ts';
import { openExistingStorage, requireStudy, withStorage } from '../storage-access.ts';
import { formatSummary, summarizeStudy } from '../summary.ts';
import { dbOption, jsonOption, studyOption } from './shared-options.ts';

interface BestArgs {
  study: string;
  db: string;
  json: boolean;
}

export function bestCommand(io: CliIo): CommandModule<object, BestArgs> {
  return {
    command: 'best',
    describe: 'Show the best configuration of a study against its baseline',
    builder: (yargs) =>
      yargs
        .options({ study: studyOption, db: dbOption, json: jsonOption })
        .example('$0 best --study marian-bo-c8-b20-s1', 'baseline vs best, speed-up and the configuration to deploy')
        .example('$0 best --study marian-bo-c8-b20-s1 --json', 'the same as JSON'),
    handler: (args) =>
      withStorage(openExistingStorage(args.db), (storage) => {
        const study = requireStudy(storage, args.study, args.db);
        const trials = storage.trials(study.id);
        const summary = summarizeStudy(study, trials, posteriorBest(study, trials));
        io.out(args.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
      }),
  };
}
