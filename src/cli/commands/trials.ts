/** `tune trials --study S`: every trial of a study with its state, key metrics and configuration. */
import { energyColumnTitle, energyNotes, energySources, formatEnergy, formatParams, formatValue, type EnergySources } from '../../report/format.ts';
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
      // Columns that appear only when some trial needs them: where each ran on a cluster, what a confirmation re-measured.
      const onNodes = trials.some((t) => t.nodes !== undefined);
      const confirming = trials.some((t) => t.kind === 'confirmation');
      const optional = (t: TrialRecord) => [
        ...(confirming ? [t.kind === 'confirmation' ? `confirms ${t.confirms} r${t.round}` : 'search'] : []),
        ...(onNodes ? [t.nodes?.join(',') ?? '-'] : []),
      ];
      const energy = energySources(trials.map((t) => t.metrics));
      const header = ['trial', 'state', 'mean ms', 'p99 ms', 'req/s', energyColumnTitle('J/req', energy), 'objective', ...(confirming ? ['kind'] : []), ...(onNodes ? ['nodes'] : []), 'configuration / failure'];
      const rows = trials.map((t) => {
        const row = trialRow(t, energy);
        return [...row.slice(0, -1), ...optional(t), row.at(-1) as string];
      });
      io.out([...textTable(header, rows, { rule: true }), ...energyNotes(energy)].join('\n'));
    },
  };
}

function trialRow(trial: TrialRecord, energy: EnergySources): string[] {
  const m = trial.metrics;
  const detail = trial.state === 'complete' ? formatParams(trial.params) : `${trial.failureKind ?? trial.state}: ${trial.failureMessage ?? ''} | ${formatParams(trial.params)}`;
  return [
    String(trial.number),
    trial.state,
    m ? formatValue(m.meanMs) : '-',
    m ? formatValue(m.p99Ms) : '-',
    m ? formatValue(m.throughputRps) : '-',
    m ? formatEnergy(m.joulesPerRequest, m.energySource, energy) : '-',
    trial.objectiveValue === undefined ? '-' : formatValue(trial.objectiveValue),
    detail,
  ];
}
