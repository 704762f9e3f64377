/**
 * What a study minimising several objectives found (pure): the Pareto front of its complete trials, the
 * hypervolume they dominate after each measured attempt and at the end, and the knee of a 2-objective front;
 * as lines for the terminal, an HTML fragment for the report, and plots (hypervolume after each trial, the
 * front with its knee).
 *
 * Reference point (hypervolume.ts): 1.1 × the worst value of each objective over the complete trials of every
 * study drawn together — in a report, all its studies of one model, concurrency and objective list, so their
 * hypervolumes compare; after `tune` or in `tune best`, the study's own trials.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { StudyTrials, TrialRecord } from '../domain/records.ts';
import type { FrontTrial, StudyTradeoff } from '../domain/summary.ts';
import { byNumber, isMeasuredAttempt, studyObjectives, trialValues } from '../domain/trials.ts';
import { OBJECTIVE_NAME, type Objective } from '../domain/vocabulary.ts';
import { chartSpec, wholeNumberAxis } from '../report/chart.ts';
import { energySources, formatObjective, formatParams, formatValue, objectiveTitle } from '../report/format.ts';
import type { NamedPlot } from '../report/plots.ts';
import { groupBy } from '../report/study-trials.ts';
import { escapeHtml, htmlTable, textTable } from '../report/table.ts';
import { frontSpec } from '../report/tradeoffs.ts';
import { TRIAL_TOOLTIP, trialTip } from '../report/trial-tip.ts';
import { hypervolumeAfterEach, kneeIndex, referencePoint } from './hypervolume.ts';
import { paretoFront } from './pareto.ts';

/** The objectives of a study minimising several; undefined for a single-objective study. */
function tradeoffObjectives(entry: StudyTrials): Objective[] | undefined {
  const objectives = studyObjectives(entry.study);
  return objectives.length > 1 ? objectives : undefined;
}

/** Each measured attempt in order, with its values (undefined where it failed). */
function attempts(trials: readonly TrialRecord[], objectives: readonly Objective[]): { trial: TrialRecord; values?: number[] }[] {
  return byNumber(trials).filter(isMeasuredAttempt).map((trial) => ({ trial, values: trialValues(trial, objectives) }));
}

function completeTrials(entry: StudyTrials, objectives: readonly Objective[]): FrontTrial[] {
  return completeAttempts(entry, objectives).map(({ trial, values }) => ({ number: trial.number, params: trial.params, values }));
}

function completeAttempts(entry: StudyTrials, objectives: readonly Objective[]): { trial: TrialRecord; values: number[] }[] {
  return attempts(entry.trials, objectives).flatMap(({ trial, values }) => (values === undefined ? [] : [{ trial, values }]));
}

/**
 * The trade-off of a study minimising several objectives, against `reference` (default: from its own complete
 * trials); undefined for a single-objective study.
 */
export function studyTradeoff(entry: StudyTrials, reference?: readonly number[]): StudyTradeoff | undefined {
  const objectives = tradeoffObjectives(entry);
  if (objectives === undefined) return undefined;
  const measured = attempts(entry.trials, objectives);
  const complete = completeTrials(entry, objectives);
  const front = paretoFront(complete, objectives.map((_, k) => (t: FrontTrial) => t.values[k] as number))
    .sort((a, b) => (a.values[0] as number) - (b.values[0] as number) || (a.values[1] as number) - (b.values[1] as number));
  const point = reference === undefined ? referencePoint(complete.map((t) => t.values)) : [...reference];
  const energy = objectives.includes('energy') ? { energySources: energySources(entry.trials.map((t) => t.metrics)) } : {};
  if (point === undefined) return { objectives, front, hypervolume: 0, hypervolumeByAttempt: measured.map(() => 0), ...energy };
  const byAttempt = hypervolumeAfterEach(measured.map((a) => a.values), point);
  const knee = kneeIndex(front.map((t) => t.values));
  return {
    objectives,
    reference: point,
    front,
    hypervolume: byAttempt[byAttempt.length - 1] ?? 0,
    hypervolumeByAttempt: byAttempt,
    ...(knee !== undefined && { knee: (front[knee] as FrontTrial).number }),
    ...energy,
  };
}

const groupKey = (entry: StudyTrials) => JSON.stringify([entry.study.model, entry.study.concurrency, studyObjectives(entry.study)]);

/** Each study's trade-off (undefined for single-objective ones), one reference point per group compared. */
export function studyTradeoffs(entries: readonly StudyTrials[]): (StudyTradeoff | undefined)[] {
  const references = new Map<string, number[] | undefined>();
  for (const [key, group] of groupBy(entries.filter((e) => tradeoffObjectives(e) !== undefined), groupKey)) {
    const objectives = studyObjectives(group[0]!.study);
    references.set(key, referencePoint(group.flatMap((e) => completeTrials(e, objectives).map((t) => t.values))));
  }
  return entries.map((entry) => studyTradeoff(entry, references.get(groupKey(entry))));
}

function frontTitle(tradeoff: StudyTradeoff): string {
  return `Pareto front of ${tradeoff.objectives.map((o) => OBJECTIVE_NAME[o]).join(' against ')}`;
}

function frontRows(tradeoff: StudyTradeoff): { header: string[]; rows: string[][] } {
  const header = ['trial', ...tradeoff.objectives.map((o) => objectiveTitle(o, tradeoff.energySources ?? [])), 'configuration'];
  const rows = tradeoff.front.map((t) => [`#${t.number}${t.number === tradeoff.knee ? ' knee' : ''}`, ...t.values.map(formatValue), formatParams(t.params)]);
  return { header, rows };
}

/** The hypervolume and the knee, in words. */
function tradeoffNotes(tradeoff: StudyTradeoff): string[] {
  const { reference, objectives } = tradeoff;
  const at = (values: readonly number[]) => values.map((v, k) => formatObjective(v, objectives[k] as Objective, tradeoff.energySources)).join(', ');
  const knee = tradeoff.front.find((t) => t.number === tradeoff.knee);
  return [
    reference === undefined
      ? 'hypervolume: none yet (no complete trial)'
      : `hypervolume ${formatValue(tradeoff.hypervolume)} up to the reference point (${at(reference)}: 1.1 × the worst of each objective over the complete trials)`,
    knee !== undefined
      ? `knee: trial ${knee.number} (${at(knee.values)}): ${formatParams(knee.params)}`
      : objectives.length > 2
        ? 'knee: defined for two objectives only'
        : 'knee: none (the front has fewer than three trials, or no bulge towards the ideal)',
  ];
}

export function tradeoffLines(tradeoff: StudyTradeoff): string[] {
  const { header, rows } = frontRows(tradeoff);
  const count = `${tradeoff.front.length} trial(s) no other trial beats on every objective`;
  return [`${frontTitle(tradeoff)}: ${count}`, ...(rows.length > 0 ? textTable(header, rows, { rule: true }) : []), ...tradeoffNotes(tradeoff)];
}

/** Drop into a study's section of the HTML report; uses the report's table styles. */
export function tradeoffHtml(tradeoff: StudyTradeoff): string {
  const { header, rows } = frontRows(tradeoff);
  const notes = tradeoffNotes(tradeoff).map((line) => `<p>${escapeHtml(line)}</p>`);
  return `<h3>${escapeHtml(frontTitle(tradeoff))}</h3>${rows.length > 0 ? htmlTable(header, rows) : ''}${notes.join('')}`;
}

/**
 * For each objective list among `studies` (one model at one concurrency) with several objectives: the hypervolume
 * after each trial, one line per study on a shared reference, and each study's front on its first two objectives
 * with the knee marked.
 */
export function tradeoffPlots(prefix: string, where: string, studies: readonly StudyTrials[]): NamedPlot[] {
  const tradeoffs = studyTradeoffs(studies);
  const multi = studies.flatMap((entry, i) => (tradeoffs[i] === undefined ? [] : [{ entry, tradeoff: tradeoffs[i] as StudyTradeoff }]));
  return [...groupBy(multi, ({ tradeoff }) => tradeoff.objectives.join('-'))].flatMap(([key, group]) => {
    const names = group[0]!.tradeoff.objectives.map((o) => OBJECTIVE_NAME[o]).join(' against ');
    const title = `Hypervolume after each trial, ${names}: ${where}`;
    const plots: NamedPlot[] = [{ name: `${prefix}-${key}-hypervolume`, title, spec: hypervolumeSpec(group, title) }];
    for (const { entry, tradeoff } of group) {
      const axes = tradeoff.objectives.length > 2 ? ' (its first two objectives)' : ', knee marked';
      const frontTitleText = `${frontTitle(tradeoff)}${axes}: ${entry.study.id}`;
      plots.push({ name: `${prefix}-${fileSafe(entry.study.id)}-front`, title: frontTitleText, spec: frontPlotSpec(entry, tradeoff, frontTitleText) });
    }
    return plots;
  });
}

function hypervolumeSpec(group: readonly { entry: StudyTrials; tradeoff: StudyTradeoff }[], title: string): TopLevelSpec {
  const points = group.flatMap(({ entry, tradeoff }) => {
    const measured = attempts(entry.trials, tradeoff.objectives);
    return tradeoff.hypervolumeByAttempt.map((hypervolume, trial) => ({
      study: entry.study.id, strategy: entry.study.strategy, trial, hypervolume,
      tip: trialTip(measured[trial]!.trial, entry.study.id, { 'measured trials': trial + 1, 'hypervolume so far': formatValue(hypervolume) }),
    }));
  });
  return chartSpec(title, points, {
    mark: { type: 'line', interpolate: 'step-after', point: TRIAL_TOOLTIP },
    encoding: {
      x: { field: 'trial', type: 'quantitative', title: 'Measured trial (0 = baseline)', axis: wholeNumberAxis(points.map((p) => p.trial)) },
      y: { field: 'hypervolume', type: 'quantitative', title: 'Hypervolume (shared reference point)' },
      color: { field: 'study', type: 'nominal', title: 'Study' },
    },
  });
}

function frontPlotSpec(entry: StudyTrials, tradeoff: StudyTradeoff, title: string): TopLevelSpec {
  const onFront = new Set(tradeoff.front.map((t) => t.number));
  const points = completeAttempts(entry, tradeoff.objectives).map(({ trial, values }) => ({
    trial: trial.number, x: values[0] as number, y: values[1] as number, onFront: onFront.has(trial.number), knee: trial.number === tradeoff.knee,
    tip: trialTip(trial, entry.study.id),
  }));
  const [first, second] = tradeoff.objectives as [Objective, Objective];
  const energy = tradeoff.energySources ?? [];
  return frontSpec(title, points, { field: 'x', title: objectiveTitle(first, energy) }, { field: 'y', title: objectiveTitle(second, energy) }, true);
}

function fileSafe(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
}
