/** `tune studies`: the studies in a database, one row each. */
import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { listStudies } from '../../app/inspect.ts';
import { studyObjectives } from '../../domain/trials.ts';
import { formatObjective } from '../../report/format.ts';
import type { CliIo } from '../io.ts';
import { textTable } from '../../report/table.ts';
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
    handler: async (args) => {
      const rows = await listStudies(args.db);
      if (args.json) {
        io.out(JSON.stringify(rows.map(({ study, summary }) => ({ ...study, trialsDone: summary.attempts, best: summary.best ?? null })), null, 2));
        return;
      }
      if (rows.length === 0) return io.out(`no studies in ${args.db} yet`);
      const table = rows.map(({ study, summary: { attempts, best } }) => [
        study.id,
        study.workload ? `${study.model} on ${basename(study.workload.file)}` : study.model,
        study.strategy,
        String(study.concurrency),
        `${attempts}/${study.budget}`,
        studyObjectives(study).join(','),
        best ? `${formatObjective(best.value, study.objective)} (trial ${best.number})` : '-',
        study.createdAt.slice(0, 19).replace('T', ' '),
      ]);
      io.out(textTable(['study', 'model', 'strategy', 'concurrency', 'trials', 'objective', 'best', 'created (UTC)'], table, { rule: true }).join('\n'));
    },
  };
}
