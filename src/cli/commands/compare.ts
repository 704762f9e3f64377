/**
 * `tune compare random bo`: runs (or reuses) one study per strategy and seed, all with the same model,
 * concurrency and budget, then prints how the strategies compare and writes the convergence plot.
 */
import type { Argv, CommandModule } from 'yargs';
import { compareStudies, type CompareCampaign } from '../../app/compare.ts';
import { comparisonLines } from '../../dse/compare.ts';
import { SAMPLER_NAMES } from '../../samplers/factory.ts';
import type { CliIo } from '../io.ts';
import { listOfWholeNumbers, oneOf } from '../option-parsers.ts';
import { withProgress } from '../progress.ts';
import { campaignOptions, concurrencyOption, precisionOption } from './shared-options.ts';

interface CompareArgs extends CompareCampaign {
  json: boolean;
}

export function compareCommand(io: CliIo): CommandModule<object, CompareArgs> {
  return {
    command: 'compare <strategies..>',
    describe: 'Compare strategies (e.g. random bo) over seeds on the same model, concurrency and budget',
    builder: (yargs: Argv) =>
      campaignOptions(yargs)
        .positional('strategies', { type: 'string', array: true, coerce: (raw: unknown) => [raw].flat().map(oneOf('strategy', SAMPLER_NAMES)), describe: SAMPLER_NAMES.join(' | ') })
        .options({
          concurrency: concurrencyOption,
          precision: precisionOption,
          seeds: { type: 'string', default: '1', requiresArg: true, coerce: listOfWholeNumbers('seeds', 0), describe: 'Comma-separated seeds; one study per strategy and seed' },
          out: { type: 'string', default: 'reports/compare', requiresArg: true, describe: 'Directory for the convergence plot' },
        })
        .example('$0 compare random bo --model gan --concurrency 4 --budget 20 --seeds 1,2,3', 'six studies, then the comparison')
        .example('$0 compare random bo --model gan --concurrency 4 --budget 20 --seeds 1,2,3 --no-run', 'compare what is stored') as unknown as Argv<CompareArgs>,
    handler: async (args) => {
      const outcome = await withProgress(io, (hooks) => compareStudies(args, hooks));
      io.out(args.json ? JSON.stringify(outcome, null, 2) : comparisonLines(outcome.comparison).join('\n'));
      io.err(`convergence and other plots written to ${args.out}`);
    },
  };
}
