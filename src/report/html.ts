/**
 * The HTML report (pure): one self-contained file with inline CSS, inline SVG plots and, when given vega's
 * runtime, live charts drawn over them (live-charts.ts), so it can be mailed or archived and opened offline.
 * It references nothing outside itself.
 */
import type { Spec } from 'vega';
import type { ConfirmationVerdict } from '../domain/confirmation.ts';
import type { StudyTrials, TrialRecord } from '../domain/records.ts';
import type { Objective } from '../domain/vocabulary.ts';
import { summarizeStudy, type StudySummary } from '../domain/summary.ts';
import { trialValue } from '../domain/trials.ts';
import { studyTradeoffs, tradeoffHtml } from '../dse/tradeoff.ts';
import type { Params } from '../space/params.ts';
import {
  ENERGY_ORIGIN_NOTE, energySources, energyTitle, formatCount, formatDeploy, formatDeployCounts, formatDuration, formatEnergy, formatParams, formatSpeedup,
  formatStoppedEarly, formatValue, formatVerdict, type EnergySources,
} from './format.ts';
import { CHART_ATTRIBUTE, liveChartScripts } from './live-charts.ts';
import { escapeHtml, htmlTable } from './table.ts';
import { studyTimeSpent, TIME_PHASES, type StudyTimeSpent } from '../domain/time-spent.ts';

export interface ReportPlot {
  title: string;
  svg: string;
  /** The compiled spec the live chart draws; without it (or without a runtime) the figure stays static. */
  vega?: Spec;
}

export interface ReportInput {
  studies: readonly StudyTrials[];
  plots: readonly ReportPlot[];
  generatedAt: string;
  /** Ready HTML fragments placed after the plots (Pareto listings, cross-model analysis). */
  extraSections?: readonly string[];
  /** vega's minified runtime, inlined to draw the live charts; without it every figure is its static SVG. */
  vegaRuntime?: string;
}

const CSS = `
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2rem; color: #111827; max-width: 1200px; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { color: #b91c1c; } tr.interrupted td, tr.running td { color: #6b7280; }
figure { margin: 1.5rem 0; } .live-chart svg { max-width: 100%; height: auto; }
code { font-size: 0.8rem; }
`;

function overviewTable(summaries: readonly StudySummary[]): string {
  const headers = ['Study', 'Model', 'Concurrency', 'Strategy', 'Seed', 'Objective', 'Trials ok/failed/other', 'Baseline', 'Best', 'Speed-up', 'Best trial', 'Winner after confirmation'];
  // An energy objective says where its figures came from: the baseline and best columns are on it.
  const objectives = (s: StudySummary) =>
    (s.tradeoff?.objectives ?? [s.objective]).map((o) => (o === 'energy' ? energyTitle(o, energySources([s.baseline?.metrics, s.best?.metrics])) : o)).join(',');
  return htmlTable(headers, summaries.map((s) => [
    s.study, s.model, String(s.concurrency), s.strategy, String(s.seed), objectives(s),
    `${s.counts.complete}/${s.counts.failed}/${s.counts.interrupted + s.counts.running}`,
    formatValue(s.baseline?.value), formatValue(s.best?.value), formatSpeedup(s.speedup), s.best === undefined ? '–' : `#${s.best.number}`,
    s.confirmation?.winner === undefined ? '–' : `#${s.confirmation.winner} (${s.confirmation.status})`,
  ]));
}

/** The confirmation rounds: the verdict, a warning when it is within the noise, and every contender's figures. */
function confirmationHtml(verdict: ConfirmationVerdict, objective: Objective): string {
  const headers = ['Trial', 'Search measured', 'Rounds', 'Mean ± 95%', 'P(best)', 'Configuration / failure'];
  const rows = verdict.standings.map((s) => [
    `#${s.number}`,
    formatValue(s.searchValue),
    s.values.map((v) => formatValue(v)).join(' ') || '–',
    s.mean === undefined ? '–' : `${formatValue(s.mean)}${s.ci95 === undefined ? '' : ` ± ${formatValue(s.ci95)}`}`,
    s.probabilityBest === undefined ? '–' : s.probabilityBest.toFixed(2),
    s.failed ? `failed again in round ${s.failed.round}: ${s.failed.kind}` : formatParams(s.params),
  ]);
  const warning = verdict.status === 'undecided' ? `<p><strong>Within the noise:</strong> ${escapeHtml(`trial ${verdict.runnerUp} may be as good as trial ${verdict.winner}.`)}</p>` : '';
  return `<h3>Confirmation</h3><p>${escapeHtml(formatVerdict(verdict, objective))}.</p>${warning}${htmlTable(headers, rows, { rowClass: (i) => (verdict.standings[i]!.failed ? 'failed' : '') })}`;
}

function bestConfigTable(summary: StudySummary): string {
  const { baseline, best } = summary;
  const names = [...new Set([...Object.keys(baseline?.params ?? {}), ...Object.keys(best?.params ?? {})])];
  const value = (params: Params | undefined, name: string) => (params?.[name] === undefined ? '–' : String(params[name]));
  const headers = ['Parameter', `Baseline (trial ${baseline?.number ?? '–'})`, `Best (trial ${best?.number ?? '–'})`];
  return htmlTable(headers, names.map((name) => [name, value(baseline?.params, name), value(best?.params, name)]));
}

function trialTable(entry: StudyTrials, energy: EnergySources): string {
  const objective = entry.study.objective === 'energy' ? energyTitle('Objective', energy) : 'Objective';
  const headers = ['#', 'State', objective, 'Mean ms', 'p99 ms', 'Req/s', 'USD/M req', energyTitle('J/req', energy), 'Deploy', 'Configuration', 'Failure'];
  const rows = entry.trials.map((t: TrialRecord) => [
    String(t.number), [t.state, formatStoppedEarly(t), t.kind === 'confirmation' && `confirms #${t.confirms} in round ${t.round}`].filter(Boolean).join(', '), formatValue(trialValue(t, entry.study.objective)),
    formatValue(t.metrics?.meanMs), formatValue(t.metrics?.p99Ms), formatValue(t.metrics?.throughputRps), formatValue(t.metrics?.usdPerMillionRequests),
    formatEnergy(t.metrics?.joulesPerRequest, t.metrics?.energySource, energy),
    formatDeploy(t) ?? '–', formatParams(t.params), t.failureKind ? `${t.failureKind}${t.failureMessage ? `: ${t.failureMessage}` : ''}` : '',
  ]);
  return htmlTable(headers, rows, { rowClass: (i) => entry.trials[i]!.state });
}

/** Where the study's time went, phase by phase, with what early stopping saved and how trials were deployed. */
function timeSpentHtml(time: StudyTimeSpent): string {
  const capitalized = (text: string) => text[0]!.toUpperCase() + text.slice(1);
  const rows = [
    ...TIME_PHASES.map(({ key, label }) => [capitalized(label), formatDuration(time[key])]),
    ['Wall time', formatDuration(time.wallS)],
    ...(time.stoppedEarly > 0 ? [[`Saved by ${formatCount(time.stoppedEarly, 'trial')} stopped early`, formatDuration(time.savedByEarlyStopS)]] : []),
    ...(time.confirmationTrials > 0 ? [[`Confirming the winner (${formatCount(time.confirmationTrials, 'trial')}, within the wall time)`, formatDuration(time.confirmingS)]] : []),
  ];
  const busy = time.parallel > 1 ? `<p>Up to ${time.parallel} trials ran at once: each phase is busy time summed over them, so the phases can add up to more than the wall time.</p>` : '';
  const deploys = formatDeployCounts(time.byDeployMode);
  return `<h3>Time spent</h3>${htmlTable(['Phase', 'Time'], rows)}${busy}${deploys ? `<p>${escapeHtml(`Deploys: ${deploys}.`)}</p>` : ''}`;
}

/** Inline SVG in HTML needs no namespace declarations; dropping them keeps the file free of any URL. */
export function inlineSvg(svg: string): string {
  return svg.replace(/\s+xmlns(:\w+)?="[^"]*"/g, '');
}

export function renderReport(input: ReportInput): string {
  const tradeoffs = studyTradeoffs(input.studies);
  const summaries = input.studies.map((entry, i) => summarizeStudy(entry.study, entry.trials, undefined, tradeoffs[i]));
  const studySections = input.studies.map((entry, i) => {
    const summary = summaries[i]!;
    const energy = energySources(entry.trials.map((t) => t.metrics));
    return `<section><h2>${escapeHtml(summary.study)}</h2>
<p>${escapeHtml(`${summary.model} at concurrency ${summary.concurrency}, ${summary.strategy} (seed ${summary.seed}), objective ${summary.objective}: best ${formatValue(summary.best?.value)} against baseline ${formatValue(summary.baseline?.value)}, speed-up ${formatSpeedup(summary.speedup)}.`)}</p>
<h3>Best configuration</h3>${bestConfigTable(summary)}${summary.confirmation ? confirmationHtml(summary.confirmation, summary.objective) : ''}${summary.tradeoff ? tradeoffHtml(summary.tradeoff) : ''}
${timeSpentHtml(studyTimeSpent(entry))}
<h3>Trials</h3>${trialTable(entry, energy)}</section>`;
  });
  // The plot title is drawn inside the SVG already; the label names the figure for screen readers.
  const live = input.vegaRuntime === undefined ? [] : input.plots.flatMap((p) => (p.vega === undefined ? [] : [p.vega]));
  let chart = 0;
  const figures = input.plots.map((p) => {
    const attribute = live.length > 0 && p.vega !== undefined ? ` ${CHART_ATTRIBUTE}="${chart++}"` : '';
    return `<figure aria-label="${escapeHtml(p.title)}"${attribute}>${inlineSvg(p.svg)}</figure>`;
  });
  const energy = energySources(input.studies.flatMap((entry) => entry.trials.map((t) => t.metrics)));
  const energyNote = energy.map((source) => `<p class="note">${escapeHtml(`Energy: ${ENERGY_ORIGIN_NOTE[source]}.`)}</p>`).join('');
  const hint = live.length > 0 ? '<p class="note">Hover a point for its trial, configuration and measurements; drag or scroll the convergence plots to pan and zoom.</p>' : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tune report</title><style>${CSS}</style></head>
<body><h1>tune report</h1><p>Generated ${escapeHtml(input.generatedAt)}.</p>
<h2>Studies</h2>${overviewTable(summaries)}${energyNote}
<h2>Plots</h2>${hint}${figures.join('\n')}
${(input.extraSections ?? []).join('\n')}
${studySections.join('\n')}
${liveChartScripts(live, input.vegaRuntime ?? '')}
</body></html>
`;
}
