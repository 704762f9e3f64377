/**
 * The end-of-study summary: baseline against best, the speed-up, the best configuration and (for noisy
 * measurements) the optimizer's posterior pick. Built as data first, so --json and the text table agree.
 */
import type { Params } from '../space/params.ts';
import type { Objective, StudyRecord, TrialMetrics, TrialRecord } from '../storage/storage.ts';
import type { PosteriorBest } from '../study/study-proposer.ts';
import { baselineTrial, bestTrial } from '../study/trial-history.ts';
import { formatNumber, formatObjective, formatParams, objectiveLabel } from './format.ts';
import { textTable } from './text-table.ts';

export interface TrialBrief {
  number: number;
  params: Params;
  objectiveValue?: number;
  metrics?: TrialMetrics;
}


export interface StudySummary {
  study: string;
  model: string;
  strategy: string;
  seed: number;
  objective: Objective;
  budget: number;
  counts: Record<TrialRecord['state'], number>;
  baseline?: TrialBrief;
  best?: TrialBrief;
  /** Baseline objective over best objective: how many times lower the best is. */
  speedup?: number;
  posteriorBest?: PosteriorBest;
}

export function summarizeStudy(study: StudyRecord, trials: readonly TrialRecord[], posteriorBest?: PosteriorBest): StudySummary {
  const baseline = baselineTrial(trials);
  const best = bestTrial(trials);
  const counts = { running: 0, complete: 0, failed: 0, interrupted: 0 };
  for (const trial of trials) counts[trial.state] += 1;
  const speedup =
    baseline?.objectiveValue !== undefined && best?.objectiveValue !== undefined && best.objectiveValue > 0 && baseline.state === 'complete'
      ? baseline.objectiveValue / best.objectiveValue
      : undefined;
  return {
    study: study.id,
    model: study.model,
    strategy: study.strategy,
    seed: study.seed,
    objective: study.objective,
    budget: study.budget,
    counts,
    baseline: baseline && brief(baseline),
    best: best && brief(best),
    speedup,
    posteriorBest,
  };
}

function brief(trial: TrialRecord): TrialBrief {
  return { number: trial.number, params: trial.params, objectiveValue: trial.objectiveValue, metrics: trial.metrics };
}

const METRIC_ROWS: { label: string; value: (m: TrialMetrics) => string }[] = [
  { label: 'mean latency (ms)', value: (m) => `${formatNumber(m.meanMs)} ± ${formatNumber(m.meanCi95Ms)}` },
  { label: 'p50 latency (ms)', value: (m) => formatNumber(m.p50Ms) },
  { label: 'p99 latency (ms)', value: (m) => formatNumber(m.p99Ms) },
  { label: 'throughput (req/s)', value: (m) => formatNumber(m.throughputRps) },
  { label: 'errors', value: (m) => String(m.errors) },
  { label: 'CPU seconds', value: (m) => formatNumber(m.cpuSeconds) },
  { label: 'peak memory (MB)', value: (m) => formatNumber(m.peakMemoryBytes / 1e6) },
  { label: 'energy (J/req)', value: (m) => formatNumber(m.joulesPerRequest) },
  { label: 'cost ($/M req)', value: (m) => formatNumber(m.usdPerMillionRequests) },
];

export function formatSummary(summary: StudySummary): string {
  const { counts } = summary;
  const lines = [
    `study ${summary.study}: ${summary.model}, ${summary.strategy} (seed ${summary.seed}), objective ${objectiveLabel(summary.objective)}`,
    `trials: ${counts.complete} complete, ${counts.failed} failed, ${counts.interrupted} interrupted (budget ${summary.budget})`,
  ];
  const columns = summaryColumns(summary);
  if (columns.length > 0) {
    const header = ['', ...columns.map(({ label, trial }) => `${label} (trial ${trial.number})`)];
    const rows = METRIC_ROWS.map((row) => [row.label, ...columns.map(({ trial }) => row.value(trial.metrics as TrialMetrics))]);
    lines.push('', textTable(header, rows), '');
  }
  if (summary.best && summary.best.number === summary.baseline?.number) {
    lines.push('no configuration beat the baseline');
  } else if (summary.speedup !== undefined) {
    lines.push(`speed-up: ${summary.speedup.toFixed(2)}× lower ${objectiveLabel(summary.objective)} than the baseline`);
  }
  if (summary.best) {
    lines.push(`best configuration (trial ${summary.best.number}, ${formatObjective(summary.best.objectiveValue, summary.objective)}): ${formatParams(summary.best.params)}`);
  } else {
    lines.push('no trial completed: nothing to recommend yet');
  }
  if (summary.posteriorBest) {
    const { number, estimate } = summary.posteriorBest;
    lines.push(`best posterior estimate (noise averaged out by the model): trial ${number}, about ${formatObjective(estimate, summary.objective)}`);
  }
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
