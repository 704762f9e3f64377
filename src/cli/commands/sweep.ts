/**
 * `tune sweep`: one study per client-concurrency level and strategy (run, resumed or reused by name; BO's share
 * one model across the levels unless --independent-levels), then the table per level (best mean latency per
 * strategy, BO's gain over random, the best configuration), the configuration to run per level and where it
 * changes with load, the Pareto-optimal configurations per level, and plots: latency per level, gain per level,
 * RTT distributions, and the picks across load by the shared model.
 */
import type { Argv, CommandModule } from 'yargs';
import { sweepStudies, type SweepCampaign } from '../../app/sweep.ts';
import { paretoTableLines } from '../../dse/pareto.ts';
import { sloLines } from '../../dse/slo.ts';
import { levelPickLines, loadChangeLines } from '../../dse/load-changes.ts';
import { sweepTableLines } from '../../dse/sweep.ts';
import { SAMPLER_NAMES } from '../../samplers/factory.ts';
import type { CliIo } from '../io.ts';
import { listOfChoices, listOfWholeNumbers, wholeNumber } from '../option-parsers.ts';
import { withProgress } from '../progress.ts';
import { campaignOptions, precisionOption } from './shared-options.ts';

interface SweepArgs extends SweepCampaign {
  json: boolean;
}

export function sweepCommand(io: CliIo): CommandModule<object, SweepArgs> {
  return {
    command: 'sweep',
    describe: 'Tune a model at several client-concurrency levels (and strategies), then compare the levels',
    builder: (yargs: Argv) =>
      campaignOptions(yargs)
        .options({
          concurrency: { type: 'string', demandOption: true, requiresArg: true, coerce: listOfWholeNumbers('concurrency', 1), describe: 'Comma-separated levels, e.g. 1,5,10,20,40,60' },
          strategies: { type: 'string', default: 'bo,random', requiresArg: true, coerce: listOfChoices('strategies', SAMPLER_NAMES), describe: `Comma-separated: ${SAMPLER_NAMES.join(' | ')}` },
          seed: { type: 'string', default: '1', requiresArg: true, coerce: wholeNumber('seed', 0), describe: 'Seed of every study' },
          precision: precisionOption,
          out: { type: 'string', requiresArg: true, describe: 'Directory for the plots (default reports/sweep-<model>)' },
          'independent-levels': { type: 'boolean', default: false, describe: "Each level's BO study learns from its own trials only, instead of one model shared across the levels" },
        })
        .example('$0 sweep --model marian --concurrency 1,5,10,20,40,60 --budget 20', 'BO and random at six levels')
        .example('$0 sweep --model gan --concurrency 2,8 --budget 8 --strategies bo --independent-levels', 'a BO study per level, each on its own')
        .example('$0 sweep --model bert --concurrency 8 --budget 15 --objective cost --slo-p99 200ms --strategies bo', 'cheapest configuration meeting an SLO') as unknown as Argv<SweepArgs>,
    handler: async (args) => {
      const outcome = await withProgress(io, (hooks) => sweepStudies(args, hooks));
      if (args.json) return io.out(JSON.stringify(outcome, null, 2));
      const slo = outcome.slo.flatMap((s) => [`SLO at concurrency ${s.concurrency}:`, ...(s.saving ? sloLines(s.saving) : ['no measured configuration']), '']);
      const picks = outcome.picks.length === 0 ? [] : ['Best configuration per level (BO posterior best, else best measured):', ...levelPickLines(outcome.picks, args.objective), ...loadChangeLines(outcome.changes, outcome.picks), ''];
      io.out([...sweepTableLines(outcome.levels), '', ...picks, ...paretoTableLines(outcome.pareto), ...slo].join('\n'));
      io.err(`plots written: ${outcome.files.filter((f) => f.endsWith('.svg')).join(', ')}`);
    },
  };
}
