/** `tune plot --study S.. --out dir`: the study's plots as SVG and PNG. */
import type { CommandModule } from 'yargs';
import { writeStudyPlots } from '../../app/report.ts';
import type { CliIo } from '../io.ts';
import { dbOption } from './shared-options.ts';

interface PlotArgs {
  study: string[];
  out: string;
  db: string;
}

export function plotCommand(io: CliIo): CommandModule<object, PlotArgs> {
  return {
    command: 'plot',
    describe: 'Write the plots of one or more studies (SVG and PNG)',
    builder: (yargs) =>
      yargs
        .options({
          study: { type: 'string', array: true, demandOption: true, requiresArg: true, describe: 'Study name(s); several studies share plots' },
          out: { type: 'string', default: 'reports/plots', requiresArg: true, describe: 'Directory to write into' },
          db: dbOption,
        })
        .example('$0 plot --study gan-bo-c4-b10-s1 --out reports/gan', 'convergence, latency distribution, parameter effects, trade-offs'),
    handler: async (args) => {
      const files = await writeStudyPlots({ db: args.db, studies: args.study, out: args.out });
      io.out(`wrote ${files.length} files to ${args.out}`);
    },
  };
}
