/** `tune studies`: the studies in a database, one row each. */
import type { CommandModule } from 'yargs';
import { attemptsSoFar, bestTrial } from '../../study/trial-history.ts';
import { formatObjective } from '../format.ts';
import type { CliIo } from '../io.ts';
import { openExistingStorage, withStorage } from '../storage-access.ts';
import { textTable } from '../text-table.ts';
import { dbOption, jsonOption } from './shared-options.ts';

interface StudiesArgs {
  db: string;
  json: boolean;
}

export function studiesCommand(io: CliIo): CommandModule<object, StudiesArgs> {
  return {
    command: 'studies',
    describe: 'List the studies in the database',
    builder: (yargs) =>
      yargs.options({ db: dbOption, json: jsonOption }).example('$0 studies --db experiments.db', 'every study with its progress and best result'),
    handler: (args) =>
      withStorage(openExistingStorage(args.db), (storage) => {
        const rows = storage.listStudies().map((study) => {
          const trials = storage.trials(study.id);
          return { study, done: attemptsSoFar(trials), best: bestTrial(trials) };
        });
        if (args.json) {
          io.out(JSON.stringify(rows.map(({ study, done, best }) => ({ ...study, trialsDone: done, best: best ?? null })), null, 2));
          return;
        }
        if (rows.length === 0) return io.out(`no studies in ${args.db} yet`);
        const table = rows.map(({ study, done, best }) => [
          study.id,
          study.model,
          study.strategy,
          String(study.concurrency),
          `${done}/${study.budget}`,
          study.objective,
          best ? `${formatObjective(best.objectiveValue, study.objective)} (trial ${best.number})` : '-',
          study.createdAt.slice(0, 19).replace('T', ' '),
        ]);
        io.out(textTable(['study', 'model', 'strategy', 'concurrency', 'trials', 'objective', 'best', 'created (UTC)'], table));
      }),
  };
}
