/** `tune trials --study S`: every trial of a study with its state, key metrics and configuration. */
import { formatParams, formatValue } from '../../report/format.ts';
import type { CommandModule } from 'yargs';
import type { TrialRecord } from '../../domain/records.ts';
import type { CliIo } from '../io.ts';
import { studyTrials } from '../../app/inspect.ts';
import { textTable } from '../../report/table.ts';
import { studyReadOptions, type StudyReadArgs } from './shared-options.ts';

export function trialsCommand(io: CliIo): CommandModule<object, StudyReadArgs> {
  return {
    command: 'trials',
    describe: 'List the trials of a study',
    builder: (yargs) =>
      yargs
        .options(studyReadOptions)
        .example('$0 trials --study gan-bo-c4-b20-s1', 'state, latency, throughput and configuration of every trial'),
    handler: async (args) => {
      const trials = await studyTrials(args.db, args.study);
      if (args.json) return io.out(JSON.stringify(trials, null, 2));
      // On a cluster, where each trial ran: the column appears only when some trial ran on named nodes.
      const onNodes = trials.some((t) => t.nodes !== undefined);
      const header = ['trial', 'state', 'mean ms', 'p99 ms', 'req/s', 'objective', ...(onNodes ? ['nodes'] : []), 'configuration / failure'];
      const rows = trials.map((t) => {
        const row = trialRow(t);
        return onNodes ? [...row.slice(0, -1), t.nodes?.join(',') ?? '-', row.at(-1) as string] : row;
      });
      io.out(textTable(header, rows, { rule: true }).join('\n'));
    },
  };
}

function trialRow(trial: TrialRecord): string[] {
  const m = trial.metrics;
  const detail = trial.state === 'complete' ? formatParams(trial.params) : `${trial.failureKind ?? trial.state}: ${trial.failureMessage ?? ''} | ${formatParams(trial.params)}`;
  return [
    String(trial.number),
    trial.state,
    m ? formatValue(m.meanMs) : '-',
    m ? formatValue(m.p99Ms) : '-',
    m ? formatValue(m.throughputRps) : '-',
    trial.objectiveValue === undefined ? '-' : formatValue(trial.objectiveValue),
    detail,
  ];
}
