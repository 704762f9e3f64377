import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chartSpec, wholeNumberAxis } from '../../../src/report/chart.ts';
import { concurrencyPoints, concurrencySpec } from '../../../src/report/concurrency-scaling.ts';
import { convergenceSeries, convergenceSpec } from '../../../src/report/convergence.ts';
import { renderSvg } from '../../../src/report/render.ts';
import { means, studyWith } from './fixtures.ts';

/** The tick labels of the rendered x axis. */
function xLabels(svg: string): string[] {
  const start = svg.indexOf('aria-label="X-axis');
  const axis = svg.slice(start, svg.indexOf('role-axis-title', start));
  return [...axis.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

describe('chart base', () => {
  test('every plot shares the title, the 480×280 view and its points as inline data', () => {
    const points = [{ x: 1 }, { x: 2 }];
    const spec = chartSpec('A title', points, { mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } });
    assert.deepEqual(spec, { title: 'A title', width: 480, height: 280, data: { values: points }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } });
  });

  test('a whole-number axis ticks at the values when they are few, at integer steps otherwise', () => {
    assert.deepEqual(wholeNumberAxis([2, 0, 1, 1]), { format: 'd', tickMinStep: 1, values: [0, 1, 2] });
    assert.deepEqual(wholeNumberAxis(Array.from({ length: 40 }, (_, i) => i)), { format: 'd', tickMinStep: 1 });
  });

  test('a three-trial study reads 0 1 2 along its trial axis, not 0.0 0.5 1.0', async () => {
    const svg = await renderSvg(convergenceSpec(convergenceSeries([studyWith({}, means(30, 20, 25))]), 'Mean latency (ms)', 'Convergence'));
    assert.deepEqual(xLabels(svg), ['0', '1', '2']);
  });

  test('a sweep of two levels ticks at its two levels on the log axis', async () => {
    const studies = [1, 2].map((concurrency) => studyWith({ id: `c${concurrency}`, concurrency }, means(10 * concurrency)));
    assert.deepEqual(xLabels(await renderSvg(concurrencySpec(concurrencyPoints(studies), 'Scaling'))), ['1', '2']);
  });
});
