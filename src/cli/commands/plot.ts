/** `tune plot --study S.. --out dir`: the study's plots as SVG and PNG. */
import type { CommandModule } from 'yargs';
import { writePlots } from '../../report/files.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { openExistingStorage, withStorage } from '../storage-access.ts';
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
    handler: (args) =>
      withStorage(openExistingStorage(args.db), async (storage) => {
        const written = await writePlots(storage, args.study, args.out);
        if (!written.ok) throw new CliError(written.error.code, `${written.error.message} (list them with: tune studies --db ${args.db})`, 2);
        io.out(`wrote ${written.files.length} files to ${args.out}`);
      }),
  };
}
