/**
 * The one table helper of the terminal and the report (pure): aligned plain-text columns and an HTML table,
 * aligned by the same rule. The first column names the row and is left-aligned; any other column whose cells
 * are all numbers (or missing) is right-aligned; text, such as a configuration, is left-aligned.
 */

export type Align = 'left' | 'right';

/** A cell that starts with a number ("12.5", "$3/M req", "1.50×", "52 [49–55]", "3/1/0"), or a missing value. */
const NUMERIC = /^[-+$]?\.?\d|^-?∞$|^[-–]$/;

export function columnAlignments(header: readonly string[], rows: readonly (readonly string[])[]): Align[] {
  return header.map((_, c) => (c > 0 && rows.length > 0 && rows.every((row) => NUMERIC.test(row[c] ?? '')) ? 'right' : 'left'));
}

export interface TextTableOptions {
  /** A line of dashes under the header. */
  rule?: boolean;
}

/** Columns padded to their widest cell and two spaces apart; no trailing spaces. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], options: TextTableOptions = {}): string[] {
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => (row[c] ?? '').length)));
  const align = columnAlignments(header, rows);
  const line = (row: readonly string[]) =>
    widths
      .map((width, c) => (align[c] === 'right' ? (row[c] ?? '').padStart(width) : (row[c] ?? '').padEnd(width)))
      .join('  ')
      .trimEnd();
  const rule = options.rule ? [widths.map((width) => '-'.repeat(width)).join('  ')] : [];
  return [line(header), ...rule, ...rows.map(line)];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HtmlTableOptions {
  /** A class for row i (the report colours failed trials). */
  rowClass?: (index: number) => string | undefined;
}

/** A `<table>` for the report's styles: right-aligned columns get `class="num"`; every cell is escaped. */
export function htmlTable(header: readonly string[], rows: readonly (readonly string[])[], options: HtmlTableOptions = {}): string {
  const align = columnAlignments(header, rows);
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row, i) => {
    const className = options.rowClass?.(i);
    const cells = row.map((cell, c) => `<td${align[c] === 'right' ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`);
    return `<tr${className ? ` class="${escapeHtml(className)}"` : ''}>${cells.join('')}</tr>`;
  });
  return `<table>${head}${body.join('')}</table>`;
}
