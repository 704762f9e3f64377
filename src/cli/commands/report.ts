/**
 * `tune report --study S.. --out report.html`: one self-contained HTML report. With --transfer, each study's
 * best configuration is first measured on the other studies' models (one trial each, stored), so the
 * cross-model transfer penalties are measured rather than predicted.
 */
import type { CommandModule } from 'yargs';
import { crossModelAnalysis } from '../../dse/cross-model.ts';
import { crossModelHtml } from '../../dse/cross-model-view.ts';
import { paretoListings } from '../../dse/pareto-listing.ts';
import { paretoHtml } from '../../dse/pareto-table.ts';
import { storedSpaceReader } from '../../dse/stored-space.ts';
import { writeReport } from '../../report/files.ts';
import type { StudyTrials } from '../../report/study-trials.ts';
import type { Storage } from '../../storage/storage.ts';
import { spaceContext } from '../host-facts.ts';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { openExistingStorage, withStorage } from '../storage-access.ts';
import { loadedStudies } from '../study-runs.ts';
import { measureTransfers, storedTransferTrials } from '../transfer-runs.ts';
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
    handler: (args) =>
      withStorage(openExistingStorage(args.db), async (storage) => {
        if (args.transfer) await measureTransfers(loadedStudies(storage, args.study), 'mean', args.db, storage, io);
        const written = await writeReport(storage, args.study, args.out, undefined, analysisSections(storage));
        if (!written.ok) throw new CliError(written.error.code, `${written.error.message} (list them with: tune studies --db ${args.db})`, 2);
        io.out(`wrote ${args.out}`);
      }),
  };
}

/** Pareto-optimal configurations always; the cross-model analysis once the studies span several models. */
function analysisSections(storage: Storage): (studies: readonly StudyTrials[]) => string[] {
  return (studies) => {
    const sections = [paretoHtml(paretoListings(studies))];
    if (new Set(studies.map((entry) => entry.study.model)).size > 1) {
      const options = { spaceOf: storedSpaceReader(spaceContext()), transferTrials: storedTransferTrials(storage) };
      sections.push(crossModelHtml(crossModelAnalysis(studies, options)));
    }
    return sections;
  };
}
