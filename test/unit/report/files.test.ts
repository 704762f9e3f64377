import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeNamedPlots, writePlots, writeReport } from '../../../src/report/files.ts';
import { convergenceSeries, convergenceSpec } from '../../../src/report/convergence.ts';
import { MemoryStorage } from '../../../src/storage/memory.ts';
import { aStudy, recordStudy } from '../storage/fixtures.ts';
import { chartSpecsOf, EXTERNAL_REFERENCE, markupOf, means, studyWith } from './fixtures.ts';

describe('report files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tune-report-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const storage = new MemoryStorage();
  const histogram = [{ upperMs: 5, count: 10 }, { upperMs: 10, count: 5 }];
  recordStudy(storage, aStudy({ id: 'bo-1' }), [{ meanMs: 40, histogram }, { failure: 'oom_killed' }, { meanMs: 25, histogram }]);
  recordStudy(storage, aStudy({ id: 'rnd-1', strategy: 'random' }), [{ meanMs: 40 }, { meanMs: 35 }]);

  test('writePlots writes an SVG and a PNG per plot', async () => {
    const result = await writePlots(storage, ['bo-1', 'rnd-1'], join(dir, 'plots'));
    assert.ok(result.ok);
    const names = result.files.map((f) => basename(f));
    assert.ok(names.includes('resnet50-c8-convergence.svg') && names.includes('resnet50-c8-convergence.png'));
    assert.ok(names.includes('resnet50-rtt.png'));
    assert.equal(names.length % 2, 0);
    assert.match(readFileSync(join(dir, 'plots', 'resnet50-c8-convergence.svg'), 'utf8'), />Measured trial \(0 = baseline\)</);
    assert.deepEqual(readFileSync(join(dir, 'plots', 'resnet50-rtt.png')).subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  test('writeNamedPlots writes any named plots, as the campaigns do', async () => {
    const spec = convergenceSpec(convergenceSeries([studyWith({}, means(30, 20))]), 'Mean latency (ms)', 'Convergence');
    const files = await writeNamedPlots([{ name: 'mine', title: 'Convergence', spec }], join(dir, 'named'));
    assert.deepEqual(files.map((f) => basename(f)), ['mine.svg', 'mine.png']);
  });

  test('writeReport writes one self-contained HTML file', async () => {
    const file = join(dir, 'out', 'report.html');
    const result = await writeReport(storage, ['bo-1', 'rnd-1'], file, () => new Date('2026-11-26T02:00:00Z'));
    assert.deepEqual(result, { ok: true, files: [file] });
    const html = readFileSync(file, 'utf8');
    assert.equal((html.match(/<svg/g) ?? []).length >= 4, true);
    assert.match(html, /oom_killed/);
    assert.doesNotMatch(markupOf(html), EXTERNAL_REFERENCE, 'no tag, attribute or style refers outside the file');
    assert.doesNotMatch(html, /sourceMappingURL/, "vega's source-map comment is dropped");
    const specs = chartSpecsOf(html);
    assert.equal(specs.length, (html.match(/<figure [^>]*data-chart="\d+"/g) ?? []).length, 'a live chart per figure');
    assert.ok(specs.length >= 4);
    for (const spec of specs) {
      const text = JSON.stringify(spec);
      assert.doesNotMatch(text, /"url"\s*:/, 'every chart carries its data inline');
      assert.doesNotMatch(text, EXTERNAL_REFERENCE);
    }
    assert.match(html, /<script>[\s\S]*vega[\s\S]*<\/script>/, "vega's runtime is inlined");
  });

  test('an unknown study is a one-line error, not an exception', async () => {
    const result = await writePlots(storage, ['bo-1', 'ghost'], join(dir, 'none'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error.message, /no study named "ghost"/);
  });
});
