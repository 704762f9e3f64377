import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { convergenceOverTime, convergenceOverTimeSpec, convergenceSeries, convergenceSpec } from '../../../src/report/convergence.ts';
import { findFonts } from '../../../src/report/fonts.ts';
import { renderSvg, resvgOptions, svgToPng } from '../../../src/report/render.ts';
import { Resvg } from '@resvg/resvg-js';
import { means, studyWith, TIMED_STUDY } from './fixtures.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('rendering', () => {
  test('a convergence plot renders to SVG with its axis titles, then to PNG', async () => {
    const points = convergenceSeries([studyWith({}, means(30, 20, 25))]);
    const svg = await renderSvg(convergenceSpec(points, 'Mean latency (ms)', 'Convergence'));
    assert.match(svg, /^<svg/);
    assert.match(svg, />Measured trial \(0 = baseline\)</);
    assert.match(svg, />Mean latency \(ms\), log scale</);
    const png = svgToPng(svg);
    assert.deepEqual(png.subarray(0, 8), PNG_MAGIC);
  });

  test('the wall-clock convergence plot renders with its minutes axis', async () => {
    const svg = await renderSvg(convergenceOverTimeSpec(convergenceOverTime([TIMED_STUDY]), 'Mean latency (ms)', 'Over time'));
    assert.match(svg, />Minutes since the study started</);
    assert.match(svg, />Mean latency \(ms\), log scale</);
  });

  test('fonts: DejaVu Sans is found when installed, else system fonts are scanned', () => {
    assert.deepEqual(findFonts(() => false), { fontFiles: [], loadSystemFonts: true });
    const found = findFonts((p) => p.endsWith('/dejavu/DejaVuSans.ttf'));
    assert.equal(found.loadSystemFonts, false);
    assert.equal(found.fontFiles.length, 1);
  });

  test('the PNG renderer draws text (a font was loaded)', (t) => {
    if (findFonts().loadSystemFonts) return t.skip('no DejaVu Sans here: apt-get install fonts-dejavu-core');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30"><rect width="80" height="30" fill="white"/><text x="5" y="20" font-size="16">Tune</text></svg>`;
    const pixels = new Resvg(svg, resvgOptions()).render().pixels;
    const darkPixels = pixels.filter((value, i) => i % 4 === 0 && value < 128).length;
    assert.ok(darkPixels > 20, `expected text pixels, found ${darkPixels}`);
  });
});
