/** `tune report --study S.. --out report.html`: one self-contained HTML report. */
import type { CommandModule } from 'yargs';
import { crossModelAnalysis } from '../../dse/cross-model.ts';
import { crossModelHtml } from '../../dse/cross-model-view.ts';
import { paretoListings } from '../../dse/pareto-listing.ts';
import { paretoHtml } from '../../dse/pareto-table.ts';
import { storedSpaceReader } from '../../dse/stored-space.ts';
import { writeReport } from '../../report/files.ts';
import type { StudyTrials } from '../../report/study-trials.ts';
import { spaceContext } from '../host-facts.ts';
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
        const written = await writeReport(storage, args.study, args.out, undefined, analysisSections);
        if (!written.ok) throw new CliError(written.error.code, `${written.error.message} (list them with: tune studies --db ${args.db})`, 2);
        io.out(`wrote ${args.out}`);
      }),
  };
}

/** Pareto-optimal configurations always; the cross-model analysis once the studies span several models. */
function analysisSections(studies: readonly StudyTrials[]): string[] {
  const sections = [paretoHtml(paretoListings(studies))];
  if (new Set(studies.map((entry) => entry.study.model)).size > 1) {
    sections.push(crossModelHtml(crossModelAnalysis(studies, { spaceOf: storedSpaceReader(spaceContext()) })));
  }
  return sections;
}
