/** The comparison as aligned plain-text lines for the terminal (pure). */
import type { Comparison, Spread, StrategyResult } from './compare.ts';
import { formatValue } from './format.ts';

const METRIC_NAME = { mean: 'mean latency ms', p99: 'p99 latency ms', cost: 'USD per M requests' } as const;

function spreadText(s: Spread | undefined, format: (v: number) => string = formatValue): string {
  if (s === undefined) return '–';
  const [low, high] = [format(s.min), format(s.max)];
  return low === high ? format(s.median) : `${format(s.median)} [${low}–${high}]`;
}

function row(result: StrategyResult): string[] {
  const near = result.trialsToNearBest;
  return [
    result.strategy,
    String(result.seeds),
    spreadText(result.best),
    ...result.bestAfter.map((b) => spreadText(b.spread)),
    near === undefined ? `never (0/${result.seeds})` : `${spreadText(near, String)} (${near.n}/${result.seeds})`,
    spreadText(result.speedup, (v) => `${v.toFixed(2)}×`),
  ];
}

/** Pads every column to its widest cell; the first column is left-aligned, the others right-aligned. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

export function comparisonLines(comparison: Comparison): string[] {
  const checkpoints = comparison.strategies[0]?.bestAfter.map((b) => `best@${b.trials}`) ?? [];
  const tolerance = `${Math.round(comparison.tolerance * 100)}%`;
  const header = ['strategy', 'seeds', 'best', ...checkpoints, `trials to within ${tolerance}`, 'speed-up vs trial 0'];
  const lines = [
    `Objective: ${METRIC_NAME[comparison.metric]}, lower is better; median [min–max] over seeds. Best known: ${formatValue(comparison.bestKnown)}.`,
    ...alignColumns([header, ...comparison.strategies.map(row)]),
  ];
  for (const test of comparison.tests) {
    lines.push(`${test.strategy} vs ${test.against}: p = ${test.pValue.toFixed(3)} (two-sided permutation test on per-seed bests, ${test.permutations} permutations)`);
  }
  if (comparison.tests.length === 0 && comparison.strategies.length > 1) {
    lines.push('No significance test: it needs at least 2 seeds per strategy.');
  }
  return lines;
}
