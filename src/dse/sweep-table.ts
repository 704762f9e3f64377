/** The sweep as an aligned text table, one row per concurrency level (pure). */
import { formatSpeedup, formatValue } from '../report/format.ts';
import { paramsText } from './params-text.ts';
import type { LevelResult } from './sweep-results.ts';
import { columnsWithText } from './text-columns.ts';

export function sweepTableLines(results: readonly LevelResult[]): string[] {
  const strategies = [...new Set(results.flatMap((r) => r.strategies.map((s) => s.strategy)))];
  const header = ['concurrency', ...strategies.map((s) => `${s} best mean ms`), 'gain (random/bo)'];
  const rows = results.map((result) => [
    String(result.concurrency),
    ...strategies.map((strategy) => formatValue(result.strategies.find((s) => s.strategy === strategy)?.meanMs)),
    formatSpeedup(result.gain),
  ]);
  const configurations = results.map((r) => (r.best ? `${r.best.strategy} #${r.best.trial}: ${paramsText(r.best.params)}` : 'no trial completed'));
  return columnsWithText([header, ...rows], ['best configuration', ...configurations]);
}
