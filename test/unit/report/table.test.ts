import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { columnAlignments, escapeHtml, htmlTable, textTable } from '../../../src/report/table.ts';

describe('text table', () => {
  test('columns line up: the first column left, numbers right-aligned', () => {
    assert.deepEqual(textTable(['strategy', 'best'], [['bo', '8.33'], ['random', '52 [49–55]']]), [
      'strategy        best',
      'bo              8.33',
      'random    52 [49–55]',
    ]);
  });

  test('a text column (a configuration) is left-aligned, its header over its start; no trailing spaces', () => {
    assert.deepEqual(textTable(['level', 'gain', 'best configuration'], [['1', '1.50×', 'replicas=2'], ['10', '–', 'no trial completed']]), [
      'level   gain  best configuration',
      '1      1.50×  replicas=2',
      '10         –  no trial completed',
    ]);
  });

  test('with a rule under the header, as the CLI lists print', () => {
    assert.deepEqual(textTable(['trial', 'mean ms'], [['0', '12'], ['1', '-']], { rule: true }), ['trial  mean ms', '-----  -------', '0           12', '1            -']);
  });

  test('numbers, prices, speed-ups, spreads and missing values count as numeric; words do not', () => {
    const header = ['row', 'a', 'b', 'c'];
    assert.deepEqual(columnAlignments(header, [['x', '$3/M req', '#1', '∞'], ['y', '–', 'never (0/2)', '.5']]), ['left', 'right', 'left', 'right']);
    assert.deepEqual(columnAlignments(header, []), ['left', 'left', 'left', 'left']);
  });
});

describe('HTML table', () => {
  test('escapes every cell, marks numeric columns and classes rows', () => {
    const html = htmlTable(['Trial', 'Mean ms', 'Failure'], [['0', '12', ''], ['1', '–', '<script>']], { rowClass: (i) => (i === 1 ? 'failed' : undefined) });
    assert.equal(
      html,
      '<table><tr><th>Trial</th><th>Mean ms</th><th>Failure</th></tr><tr><td>0</td><td class="num">12</td><td></td></tr>' +
        '<tr class="failed"><td>1</td><td class="num">–</td><td>&#60;script&#62;</td></tr></table>',
    );
    assert.equal(escapeHtml(`a&b"'`), 'a&#38;b&#34;&#39;');
  });
});
