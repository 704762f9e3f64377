/** Pareto listings as text lines for the terminal and as an HTML fragment for the report (pure). */
import { formatValue } from '../report/format.ts';
import { escapeHtml } from '../report/html.ts';
import { paramsText } from './params-text.ts';
import { AXIS_UNIT, type ParetoListing } from './pareto-listing.ts';
import { columnsWithText } from './text-columns.ts';

function title(listing: ParetoListing): string {
  return `Pareto front, ${listing.latency} latency against ${listing.axis}: ${listing.model} at concurrency ${listing.concurrency}`;
}

function header(listing: ParetoListing): string[] {
  return ['study', 'trial', `${listing.latency} ms`, AXIS_UNIT[listing.axis], 'configuration'];
}

function cells(listing: ParetoListing): string[][] {
  return listing.front.map((e) => [e.studyId, `#${e.trial}`, formatValue(e.latencyMs), formatValue(e.value), paramsText(e.params)]);
}

function textLines(listing: ParetoListing): string[] {
  const [head, rows] = [header(listing), cells(listing)];
  return columnsWithText([head.slice(0, -1), ...rows.map((r) => r.slice(0, -1))], [head.at(-1)!, ...rows.map((r) => r.at(-1)!)]);
}

export function paretoTableLines(listings: readonly ParetoListing[]): string[] {
  return listings.flatMap((listing) => [
    title(listing),
    ...(listing.front.length === 0 ? ['  no complete trial'] : textLines(listing)),
    '',
  ]);
}

/** Drop into the HTML report's body; uses the report's table styles. */
export function paretoHtml(listings: readonly ParetoListing[]): string {
  return listings
    .map((listing) => {
      const head = `<tr>${header(listing).map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
      const rows = cells(listing).map((row) => `<tr>${row.map((c, i) => `<td${i === 2 || i === 3 ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`);
      return `<h3>${escapeHtml(title(listing))}</h3><table>${head}${rows.join('')}</table>`;
    })
    .join('\n');
}
