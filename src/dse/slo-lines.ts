/** The SLO comparison as plain-text lines (pure). */
import { formatValue } from '../report/format.ts';
import { paramsText } from './params-text.ts';
import type { MeasuredConfig, SloSaving } from './slo.ts';

function configLine(name: string, c: MeasuredConfig): string {
  const m = c.metrics;
  return `${name}: ${c.studyId} #${c.trial}: mean ${formatValue(m.meanMs)} ms, p99 ${formatValue(m.p99Ms)} ms, ${formatValue(m.usdPerMillionRequests)} USD/M req — ${paramsText(c.params)}`;
}

export function sloLines(saving: SloSaving): string[] {
  const lines = [configLine('fastest', saving.fastest) + (saving.fastestMeetsSlo ? '' : ` (misses the SLO of ${saving.sloP99Ms} ms)`)];
  if (saving.cheapestFeasible === undefined) return [...lines, `no measured configuration meets p99 ≤ ${saving.sloP99Ms} ms`];
  return [
    ...lines,
    configLine(`cheapest with p99 ≤ ${saving.sloP99Ms} ms`, saving.cheapestFeasible),
    `saving: ${saving.savingPercent!.toFixed(1)}% cheaper per million requests than the fastest configuration`,
  ];
}
