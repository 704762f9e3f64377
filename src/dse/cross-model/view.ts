/** The cross-model analysis as text lines for the terminal and as an HTML fragment for `tune report` (pure). */
import { OBJECTIVE_UNIT } from '../../domain/vocabulary.ts';
import { formatParams, formatValue } from '../../report/format.ts';
import { escapeHtml, htmlTable, textTable } from '../../report/table.ts';
import type { CrossModelAnalysis, ImportanceSection, PairSection } from './analysis.ts';
import type { Transfer } from './transfer.ts';

function rankText(pair: PairSection): string {
  const { configurations, spearman } = pair.rank;
  if (spearman === undefined) return `${configurations} configuration(s) evaluated in both: too few for a rank correlation (3 needed)`;
  return `Spearman rank correlation ${spearman.toFixed(2)} over ${configurations} configurations evaluated in both`;
}

function transferText(t: Transfer, unit: string): string {
  const how = t.source === 'measured' ? 'measured on the target' : "target's GP posterior mean, not measured";
  return `best of ${t.from} used for ${t.to}: ${formatValue(t.transferredValue)} ${unit} against its own best ${formatValue(t.targetBest)} ${unit}, penalty ${t.penaltyPercent.toFixed(1)}% (${how}) — ${formatParams(t.configuration)}`;
}

function pairLines(pair: PairSection, unit: string): string[] {
  return [rankText(pair), ...pair.transfers.map((t) => transferText(t, unit))];
}

function importanceRows(section: ImportanceSection): string[][] {
  return (section.importance ?? []).map((i) => [i.parameter, `${(i.importance * 100).toFixed(1)}%`, formatValue(i.lengthScale)]);
}

export function crossModelLines(analysis: CrossModelAnalysis): string[] {
  const unit = OBJECTIVE_UNIT[analysis.metric];
  const pairs = analysis.pairs.flatMap((pair) => [`${pair.a} vs ${pair.b}:`, ...pairLines(pair, unit).map((l) => `  ${l}`)]);
  const importance = analysis.importance.flatMap((s) => [
    `Parameter importance (1/length scale of the fitted GP, normalised): ${s.study}`,
    ...(s.importance ? textTable(['parameter', 'importance', 'length scale'], importanceRows(s)).map((l) => `  ${l}`) : [`  not available: ${s.note}`]),
  ]);
  return [...pairs, ...importance];
}

/** Drop into the HTML report's body; uses the report's table styles. */
export function crossModelHtml(analysis: CrossModelAnalysis): string {
  const unit = OBJECTIVE_UNIT[analysis.metric];
  const pairs = analysis.pairs.map((pair) => {
    const items = pairLines(pair, unit).map((line) => `<li>${escapeHtml(line)}</li>`);
    return `<h3>${escapeHtml(`${pair.a} vs ${pair.b}`)}</h3><ul>${items.join('')}</ul>`;
  });
  const importance = analysis.importance.map((s) => {
    const heading = `<h3>${escapeHtml(`Parameter importance: ${s.study}`)}</h3>`;
    if (!s.importance) return `${heading}<p>${escapeHtml(`Not available: ${s.note}.`)}</p>`;
    return `${heading}${htmlTable(['Parameter', 'Importance', 'Length scale'], importanceRows(s))}`;
  });
  return `<section><h2>Across models</h2>${pairs.join('\n')}\n${importance.join('\n')}</section>`;
}
