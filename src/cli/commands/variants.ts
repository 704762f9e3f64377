/**
 * `tune variants`: one study per model variant (precision × graph-optimization level, both pinned), then a
 * table of each variant at its best configuration: size on disk, latency, throughput, cost, and fidelity of
 * its outputs against fp32, plus BLEU when real references are given.
 */
import type { Argv, CommandModule } from 'yargs';
import { variantStudies, type VariantsCampaign } from '../../app/variants.ts';
import { paretoTableLines } from '../../dse/pareto.ts';
import { bleuLine } from '../../dse/variants/bleu.ts';
import { variantTableLines } from '../../dse/variants/table.ts';
import { GRAPH_OPTIMIZATION_LEVELS, PRECISIONS } from '../../server/protocol.ts';
import type { CliIo } from '../io.ts';
import { listOfChoices, wholeNumber } from '../option-parsers.ts';
import { withProgress } from '../progress.ts';
import { campaignOptions, concurrencyOption, strategyOption } from './shared-options.ts';

interface VariantsArgs extends VariantsCampaign {
  json: boolean;
}

export function variantsCommand(io: CliIo): CommandModule<object, VariantsArgs> {
  return {
    command: 'variants',
    describe: 'Tune each model variant (precision, graph optimization) and compare them at their best',
    builder: (yargs: Argv) =>
      campaignOptions(yargs)
        .options({
          concurrency: concurrencyOption,
          strategy: { ...strategyOption, default: 'bo' },
          seed: { type: 'string', default: '1', requiresArg: true, coerce: wholeNumber('seed', 0), describe: 'Seed of every study' },
          precisions: { type: 'string', default: PRECISIONS.join(','), requiresArg: true, coerce: listOfChoices('precisions', PRECISIONS), describe: 'Comma-separated precisions' },
          'graph-levels': { type: 'string', requiresArg: true, coerce: listOfChoices('graph-levels', GRAPH_OPTIMIZATION_LEVELS), describe: 'Comma-separated levels to pin, e.g. disabled,all (default: the level stays tuned)' },
          'fidelity-instances': { type: 'string', requiresArg: true, coerce: wholeNumber('fidelity-instances', 1, 10_000), describe: 'Workload instances compared against fp32 (default 32; ocr: 200 rendered lines, also scored against their text)' },
          references: { type: 'string', requiresArg: true, describe: 'Tab-separated "source<TAB>reference" lines: BLEU for a real translator export with a SentencePiece vocab.json' },
        })
        .example('$0 variants --model bert --concurrency 8 --budget 15', 'fp32 against int8, each tuned')
        .example('$0 variants --model ocr --concurrency 8 --budget 10', 'real weights: character accuracy of each on 200 rendered lines')
        .example('$0 variants --model resnet --concurrency 8 --budget 10 --graph-levels disabled,all', 'four variants') as unknown as Argv<VariantsArgs>,
    handler: async (args) => {
      const outcome = await withProgress(io, (hooks) => variantStudies({ ...args, graphLevels: args.graphLevels ?? [] }, hooks));
      if (args.json) return io.out(JSON.stringify(outcome, null, 2));
      const bleu = outcome.bleu.map((b) => bleuLine(b.variant, b));
      io.out([...variantTableLines(outcome.variants), ...(bleu.length > 0 ? ['', ...bleu] : []), '', ...paretoTableLines(outcome.pareto)].join('\n'));
    },
  };
}
