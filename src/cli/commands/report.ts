/**
 * `tune report --study S.. --out report.html`: one self-contained HTML report. With --transfer, each study's
 * best configuration is first measured on the other studies' models (one trial each, stored).
 */
import type { CommandModule } from 'yargs';
import { writeStudyReport } from '../../app/report.ts';
import type { CliIo } from '../io.ts';
import { withProgress } from '../progress.ts';
import { dbOption } from './shared-options.ts';

interface ReportArgs {
  study: string[];
  out: string;
  db: string;
  transfer: boolean;
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
          transfer: { type: 'boolean', default: false, describe: "First measure each study's best configuration on the other studies' models (needs Docker)" },
        })
        .example('$0 report --study gan-bo-c4-b10-s1 gan-random-c4-b10-s1 --out reports/gan.html', 'both studies in one report')
        .example('$0 report --study bert-bo-c4-b15-s1 resnet-bo-c4-b15-s1 --transfer', 'measured transfer penalties between two models'),
    handler: async (args) => {
      await withProgress(io, (hooks) => writeStudyReport({ db: args.db, studies: args.study, out: args.out, transfer: args.transfer }, hooks));
      io.out(`wrote ${args.out}`);
    },
  };
}
