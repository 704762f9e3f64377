/**
 * The study summary (src/domain/summary.ts) as text: baseline against best, the speed-up, the best configuration,
 * for noisy measurements the optimizer's posterior pick, the confirmation rounds' verdict, for a study minimising
 * several objectives its Pareto front with the hypervolume and the knee and, when given, where the time went.
 */
import type { ConfirmationVerdict } from '../domain/confirmation.ts';
import { describeWorkload, type TrialMetrics } from '../domain/records.ts';
import type { StudySummary, TrialBrief } from '../domain/summary.ts';
import { OBJECTIVE_NAME, type Objective } from '../domain/vocabulary.ts';
import { tradeoffLines } from '../dse/tradeoff.ts';
import {
  energySources, energyTitle, formatCount, formatDeployCounts, formatDuration, formatEnergy, formatObjective, formatParams, formatValue, formatVerdict,
  type EnergySources,
} from '../report/format.ts';
import { textTable } from '../report/table.ts';
import { TIME_PHASES, type StudyTimeSpent } from '../domain/time-spent.ts';

/** A row of the baseline-against-best table; the energy row says where its figures came from. */
const METRIC_ROWS: { label: string | ((energy: EnergySources) => string); value: (m: TrialMetrics, energy: EnergySources) => string }[] = [
  { label: 'mean latency (ms)', value: (m) => `${formatValue(m.meanMs)} ± ${formatValue(m.meanCi95Ms)}` },
  { label: 'p50 latency (ms)', value: (m) => formatValue(m.p50Ms) },
  { label: 'p99 latency (ms)', value: (m) => formatValue(m.p99Ms) },
  { label: 'throughput (req/s)', value: (m) => formatValue(m.throughputRps) },
  { label: 'errors', value: (m) => String(m.errors) },
  { label: 'CPU seconds', value: (m) => formatValue(m.cpuSeconds) },
  { label: 'peak memory (MB)', value: (m) => formatValue(m.peakMemoryBytes / 1e6) },
  { label: (energy) => energyTitle('energy (J/req)', energy), value: (m, energy) => formatEnergy(m.joulesPerRequest, m.energySource, energy) },
  { label: 'cost ($/M req)', value: (m) => formatValue(m.usdPerMillionRequests) },
];

export function formatSummary(summary: StudySummary): string {
  const { counts } = summary;
  const objectives = summary.tradeoff
    ? `objectives ${summary.tradeoff.objectives.map((o) => OBJECTIVE_NAME[o]).join(', ')} (best and speed-up on the first)`
    : `objective ${OBJECTIVE_NAME[summary.objective]}`;
  const lines = [
    `study ${summary.study}: ${summary.model}${summary.workload ? ` on ${describeWorkload(summary.workload)}` : ''}, ${summary.strategy} (seed ${summary.seed}), ${objectives}`,
    `trials: ${counts.complete} complete, ${counts.failed} failed, ${counts.interrupted} interrupted (budget ${summary.budget})`,
    ...timeSpentLines(summary.timeSpent),
  ];
  const columns = summaryColumns(summary);
  if (columns.length > 0) {
    const header = ['', ...columns.map(({ label, trial }) => `${label} (trial ${trial.number})`)];
    const energy = energySources(columns.map(({ trial }) => trial.metrics));
    const rows = METRIC_ROWS.map((row) => [
      typeof row.label === 'string' ? row.label : row.label(energy),
      ...columns.map(({ trial }) => row.value(trial.metrics as TrialMetrics, energy)),
    ]);
    lines.push('', ...textTable(header, rows, { rule: true }), '');
  }
  if (summary.best && summary.best.number === summary.baseline?.number) {
    lines.push('no configuration beat the baseline');
  } else if (summary.speedup !== undefined) {
    lines.push(`speed-up: ${summary.speedup.toFixed(2)}× lower ${OBJECTIVE_NAME[summary.objective]} than the baseline`);
  }
  // Where the study's energy figures came from, for the lines that quote one on an energy objective.
  const energy = energySources([summary.baseline?.metrics, summary.best?.metrics]);
  if (summary.best) {
    lines.push(`best configuration (trial ${summary.best.number}, ${formatObjective(summary.best.value, summary.objective, energy)}): ${formatParams(summary.best.params)}`);
  } else {
    lines.push('no trial completed: nothing to recommend yet');
  }
  if (summary.posteriorBest) {
    const { number, estimate } = summary.posteriorBest;
    lines.push(`best posterior estimate (noise averaged out by the model): trial ${number}, about ${formatObjective(estimate, summary.objective, energy)}`);
  }
  if (summary.confirmation) lines.push('', ...confirmationLines(summary.confirmation, summary.objective, energy));
  if (summary.tradeoff) lines.push('', ...tradeoffLines(summary.tradeoff));
  return lines.join('\n');
}

/** Baseline and best side by side; one column when the baseline is the best (or the only one measured). */
function summaryColumns(summary: StudySummary): { label: string; trial: TrialBrief }[] {
  const columns: { label: string; trial: TrialBrief }[] = [];
  const { baseline, best } = summary;
  if (baseline?.metrics) columns.push({ label: best?.number === baseline.number ? 'baseline = best' : 'baseline', trial: baseline });
  if (best?.metrics && best.number !== baseline?.number) columns.push({ label: 'best', trial: best });
  return columns;
}

/**
 * One line of where the time went, and one of what early stopping saved and how trials were deployed when
 * there is either; nothing before any trial finished.
 */
export function timeSpentLines(time: StudyTimeSpent): string[] {
  if (time.wallS === 0) return [];
  const phases = TIME_PHASES.map(({ key, label }) => `${formatDuration(time[key])} ${label}`).join(', ');
  // Parallel trials overlap: their phases are busy time, summed over the trials in flight.
  const scope = time.parallel > 1 ? ` (busy time of up to ${time.parallel} trials at once, over ${formatDuration(time.wallS)} wall)` : ` (${formatDuration(time.wallS)} wall)`;
  const notes = [
    ...(time.stoppedEarly > 0 ? [`${formatDuration(time.savedByEarlyStopS)} saved by ${formatCount(time.stoppedEarly, 'trial')} stopped early`] : []),
    ...(time.byDeployMode.reconfigured + time.byDeployMode.reloaded > 0 ? [`deploys: ${formatDeployCounts(time.byDeployMode)}`] : []),
    ...(time.confirmationTrials > 0 ? [`${formatDuration(time.confirmingS)} confirming the winner in ${formatCount(time.confirmationTrials, 'trial')}`] : []),
  ];
  return [`time${scope}: ${phases}`, ...(notes.length > 0 ? [notes.join('; ')] : [])];
}

/**
 * The confirmation verdict, then each contender: what the search measured once, what the rounds measured, and its
 * chance of being best; a warning when the advantage is within the noise or the search's pick lost.
 */
export function confirmationLines(verdict: ConfirmationVerdict, objective: Objective, energy?: EnergySources): string[] {
  const lines = [formatVerdict(verdict, objective, energy)];
  for (const s of verdict.standings) {
    const search = `search ${formatObjective(s.searchValue, objective, energy)}`;
    if (s.failed) {
      lines.push(`  trial ${s.number}: ${search}; failed again in round ${s.failed.round} (${s.failed.kind})`);
      continue;
    }
    const rounds = s.values.map((v) => formatValue(v)).join(' ');
    const mean = s.mean === undefined ? '' : ` → ${formatObjective(s.mean, objective, energy)}${s.ci95 === undefined ? '' : ` ± ${formatValue(s.ci95)}`}`;
    const chance = s.probabilityBest === undefined ? '' : `, P(best) ${s.probabilityBest.toFixed(2)}`;
    lines.push(`  trial ${s.number}: ${search}; rounds ${rounds || '–'}${mean}${chance}: ${formatParams(s.params)}`);
  }
  if (verdict.status === 'undecided') lines.push(`warning: the winner's advantage is within the noise after ${formatCount(verdict.rounds, 'round')}: trial ${verdict.runnerUp} may be as good`);
  if (verdict.winner !== undefined && verdict.winner !== verdict.searchPick) lines.push(`note: the search alone would have named trial ${verdict.searchPick}; measured again, trial ${verdict.winner} is ahead`);
  return lines;
}
