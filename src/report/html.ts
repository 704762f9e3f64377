/**
 * The HTML report (pure): one self-contained file with inline CSS and inline SVG plots, so it can be mailed or
 * archived and opened offline. It references nothing outside itself.
 */
import type { Params } from '../space/params.ts';
import type { TrialRecord } from '../storage/storage.ts';
import { formatSpeedup, formatValue } from './format.ts';
import { summarizeStudy, type StudySummary } from './summary.ts';
import { measuredObjective, type StudyTrials } from './study-trials.ts';

export interface ReportPlot {
  title: string;
  svg: string;
}

export interface ReportInput {
  studies: readonly StudyTrials[];
  plots: readonly ReportPlot[];
  generatedAt: string;
  /** Ready HTML fragments placed after the plots (Pareto listings, cross-model analysis). */
  extraSections?: readonly string[];
}

const CSS = `
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2rem; color: #111827; max-width: 1200px; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { color: #b91c1c; } tr.interrupted td, tr.running td { color: #6b7280; }
figure { margin: 1.5rem 0; }
code { font-size: 0.8rem; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Cell = string | { num: string };

function table(headers: readonly string[], rows: readonly { cells: readonly Cell[]; className?: string }[]): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map(({ cells, className }) => {
    const tds = cells.map((c) => (typeof c === 'string' ? `<td>${escapeHtml(c)}</td>` : `<td class="num">${escapeHtml(c.num)}</td>`));
    return `<tr${className ? ` class="${className}"` : ''}>${tds.join('')}</tr>`;
  });
  return `<table>${head}${body.join('')}</table>`;
}

const num = (value: number | undefined): Cell => ({ num: formatValue(value) });
const paramsText = (params: Params | undefined): string =>
  params === undefined ? '–' : Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');

function overviewTable(summaries: readonly StudySummary[]): string {
  const headers = ['Study', 'Model', 'Concurrency', 'Strategy', 'Seed', 'Objective', 'Trials ok/failed/other', 'Baseline', 'Best', 'Speed-up', 'Best trial'];
  return table(headers, summaries.map((s) => ({
    cells: [
      s.id, s.model, { num: String(s.concurrency) }, s.strategy, { num: String(s.seed) }, s.objective,
      `${s.counts.complete}/${s.counts.failed}/${s.counts.interrupted + s.counts.running}`,
      num(s.baselineValue), num(s.bestValue), { num: formatSpeedup(s.speedup) }, s.bestNumber === undefined ? '–' : `#${s.bestNumber}`,
    ],
  })));
}

function bestConfigTable(summary: StudySummary): string {
  const names = [...new Set([...Object.keys(summary.baselineParams ?? {}), ...Object.keys(summary.bestParams ?? {})])];
  const value = (params: Params | undefined, name: string) => (params?.[name] === undefined ? '–' : String(params[name]));
  return table(['Parameter', 'Baseline (trial 0)', `Best (trial ${summary.bestNumber ?? '–'})`], names.map((name) => ({
    cells: [name, value(summary.baselineParams, name), value(summary.bestParams, name)],
  })));
}

function trialTable(entry: StudyTrials): string {
  const headers = ['#', 'State', 'Objective', 'Mean ms', 'p99 ms', 'Req/s', 'USD/M req', 'Configuration', 'Failure'];
  return table(headers, entry.trials.map((t: TrialRecord) => ({
    className: t.state,
    cells: [
      { num: String(t.number) }, t.state, num(measuredObjective(t, entry.study.objective)), num(t.metrics?.meanMs), num(t.metrics?.p99Ms),
      num(t.metrics?.throughputRps), num(t.metrics?.usdPerMillionRequests), paramsText(t.params),
      t.failureKind ? `${t.failureKind}${t.failureMessage ? `: ${t.failureMessage}` : ''}` : '',
    ],
  })));
}

/** Inline SVG in HTML needs no namespace declarations; dropping them keeps the file free of any URL. */
export function inlineSvg(svg: string): string {
  return svg.replace(/\s+xmlns(:\w+)?="[^"]*"/g, '');
}

export function renderReport(input: ReportInput): string {
  const summaries = input.studies.map(summarizeStudy);
  const studySections = input.studies.map((entry, i) => {
    const summary = summaries[i]!;
    return `<section><h2>${escapeHtml(summary.id)}</h2>
<p>${escapeHtml(`${summary.model} at concurrency ${summary.concurrency}, ${summary.strategy} (seed ${summary.seed}), objective ${summary.objective}: best ${formatValue(summary.bestValue)} against baseline ${formatValue(summary.baselineValue)}, speed-up ${formatSpeedup(summary.speedup)}.`)}</p>
<h3>Best configuration</h3>${bestConfigTable(summary)}
<h3>Trials</h3>${trialTable(entry)}</section>`;
  });
  // The plot title is drawn inside the SVG already; the label names the figure for screen readers.
  const figures = input.plots.map((p) => `<figure aria-label="${escapeHtml(p.title)}">${inlineSvg(p.svg)}</figure>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tune report</title><style>${CSS}</style></head>
<body><h1>tune report</h1><p>Generated ${escapeHtml(input.generatedAt)}.</p>
<h2>Studies</h2>${overviewTable(summaries)}
<h2>Plots</h2>${figures.join('\n')}
${(input.extraSections ?? []).join('\n')}
${studySections.join('\n')}
</body></html>
`;
}
