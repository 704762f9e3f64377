/** The cross-model analysis as text lines and as an HTML fragment for `tune report` (pure). */
import { alignColumns } from '../report/compare-table.ts';
import { formatValue } from '../report/format.ts';
import { escapeHtml } from '../report/html.ts';
import type { CrossModelAnalysis, ImportanceSection, PairSection } from './cross-model.ts';
import { paramsText } from './params-text.ts';
import type { Transfer } from './transfer.ts';

const UNIT = { mean: 'ms', p99: 'ms', cost: 'USD/M req' } as const;

function rankText(pair: PairSection): string {
  const { configurations, spearman } = pair.rank;
  if (spearman === undefined) return `${configurations} configuration(s) evaluated in both: too few for a rank correlation (3 needed)`;
  return `Spearman rank correlation ${spearman.toFixed(2)} over ${configurations} configurations evaluated in both`;
}

function transferText(t: Transfer, unit: string): string {
  const how = t.source === 'measured' ? 'measured on the target' : "target's GP posterior mean, not measured";
  return `best of ${t.from} used for ${t.to}: ${formatValue(t.transferredValue)} ${unit} against its own best ${formatValue(t.targetBest)} ${unit}, penalty ${t.penaltyPercent.toFixed(1)}% (${how}) — ${paramsText(t.configuration)}`;
}

function importanceRows(section: ImportanceSection): string[][] {
  return (section.importance ?? []).map((i) => [i.parameter, `${(i.importance * 100).toFixed(1)}%`, formatValue(i.lengthScale)]);
}

export function crossModelLines(analysis: CrossModelAnalysis): string[] {
  const unit = UNIT[analysis.metric];
  const pairs = analysis.pairs.flatMap((pair) => [`${pair.a} vs ${pair.b}:`, `  ${rankText(pair)}`, ...pair.transfers.map((t) => `  ${transferText(t, unit)}`)]);
  const importance = analysis.importance.flatMap((s) => [
    `Parameter importance (1/length scale of the fitted GP, normalised): ${s.study}`,
    ...(s.importance ? alignColumns([['parameter', 'importance', 'length scale'], ...importanceRows(s)]).map((l) => `  ${l}`) : [`  not available: ${s.note}`]),
  ]);
  return [...pairs, ...importance];
}

/** Drop into the HTML report's body; uses the report's table styles. */
export function crossModelHtml(analysis: CrossModelAnalysis): string {
  const unit = UNIT[analysis.metric];
  const pairs = analysis.pairs.map((pair) => {
    const items = [rankText(pair), ...pair.transfers.map((t) => transferText(t, unit))].map((line) => `<li>${escapeHtml(line)}</li>`);
    return `<h3>${escapeHtml(`${pair.a} vs ${pair.b}`)}</h3><ul>${items.join('')}</ul>`;
  });
  const importance = analysis.importance.map((s) => {
    const heading = `<h3>${escapeHtml(`Parameter importance: ${s.study}`)}</h3>`;
    if (!s.importance) return `${heading}<p>${escapeHtml(`Not available: ${s.note}.`)}</p>`;
    const rows = importanceRows(s).map(([name, share, scale]) => `<tr><td>${escapeHtml(name!)}</td><td class="num">${escapeHtml(share!)}</td><td class="num">${escapeHtml(scale!)}</td></tr>`);
    return `${heading}<table><tr><th>Parameter</th><th>Importance</th><th>Length scale</th></tr>${rows.join('')}</table>`;
  });
  return `<section><h2>Across models</h2>${pairs.join('\n')}\n${importance.join('\n')}</section>`;
}
