/** `tune report --study S.. --out report.html`: one self-contained HTML report. */
import type { CommandModule } from 'yargs';
import { writeReport } from '../../report/files.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { openExistingStorage, withStorage } from '../storage-access.ts';
import { dbOption } from './shared-options.ts';

interface ReportArgs {
  study: string[];
  out: string;
  db: string;
}

export function reportCommand(io: CliIo): CommandModule<object, ReportArgs> {
  return {
    command: 'report',
    describe: 'Write an HTML report of one or more studies',
    builder: (yargs) =>
      yargs
        .options({
          study: { type: 'string', array: true, demandOption: true, requiresArg: true, describe: 'Study name(s)' },
          out: { type: 'string', default: 'reports/report.html', requiresArg: true, describe: 'HTML file to write' },
          db: dbOption,
        })
        .example('$0 report --study gan-bo-c4-b10-s1 gan-random-c4-b10-s1 --out reports/gan.html', 'both studies in one report'),
    handler: (args) =>
      withStorage(openExistingStorage(args.db), async (storage) => {
        const written = await writeReport(storage, args.study, args.out);
        if (!written.ok) throw new CliError(written.error.code, `${written.error.message} (list them with: tune studies --db ${args.db})`, 2);
        io.out(`wrote ${args.out}`);
      }),
  };
}
