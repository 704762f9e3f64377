/**
 * Aligned columns with a free-text last column (a configuration): the report's alignColumns right-aligns
 * every column after the first, which would push a long last column's header far to the right.
 */
import { alignColumns } from '../report/compare-table.ts';

export function columnsWithText(rows: readonly (readonly string[])[], texts: readonly string[]): string[] {
  return alignColumns(rows).map((line, i) => `${line}  ${texts[i] ?? ''}`.trimEnd());
}
