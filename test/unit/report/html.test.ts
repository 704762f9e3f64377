import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inlineSvg, renderReport } from '../../../src/report/html.ts';
import { chartSpecsOf, EXTERNAL_REFERENCE, markupOf, studyWith, TIMED_STUDY } from './fixtures.ts';
import type { FailureKind } from '../../../src/domain/vocabulary.ts';

describe('HTML report', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><g clip-path="url(#clip0)"/><text>Trial number</text></svg>';
  const study = studyWith({ id: 'resnet-bo' }, [{ meanMs: 60 }, { failure: '<script>alert(1)</script>' as FailureKind }, { meanMs: 20 }]);
  const html = renderReport({ studies: [study], plots: [{ title: 'Convergence', svg }], generatedAt: '2026-11-26T02:00:00.000Z' });

  test('summarises each study: baseline, best, speed-up, best configuration, trials with failure reasons', () => {
    assert.match(html, /<h2>resnet-bo<\/h2>/);
    assert.match(html, /speed-up 3\.00×/);
    assert.match(html, /Best \(trial 2\)/);
    assert.match(html, /<tr class="failed">/);
    assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62; in trial 1/);
    assert.doesNotMatch(html, /<script>/);
  });

  test('inlines the plots and references nothing outside the file', () => {
    assert.match(html, /<figure aria-label="Convergence"><svg width="10"/);
    assert.match(html, />Trial number</);
    assert.doesNotMatch(html, EXTERNAL_REFERENCE);
    assert.match(inlineSvg(svg), /url\(#clip0\)/);
  });

  test('each study shows where its time went, and each trial how it was deployed and whether it stopped early', () => {
    const timed = renderReport({ studies: [TIMED_STUDY], plots: [], generatedAt: '2026-11-26T02:00:00.000Z' });
    assert.match(timed, /<h3>Time spent<\/h3><table><tr><th>Phase<\/th><th>Time<\/th><\/tr><tr><td>Deploying<\/td><td class="num">24s<\/td><\/tr>/);
    assert.match(timed, /<td>Measuring<\/td><td class="num">1m50s<\/td>.*<td>Wall time<\/td><td class="num">3m10s<\/td>/);
    assert.match(timed, /<td>Saved by 2 trials stopped early<\/td><td class="num">41s<\/td>/);
    assert.match(timed, /<p>Deploys: 2 reconfigured, 1 reloaded, 2 fresh\.<\/p>/);
    assert.doesNotMatch(timed, /busy time/, 'one trial at a time: the phases are wall time');
    assert.match(timed, /<th>Deploy<\/th>/);
    assert.match(timed, /<td>1<\/td><td>complete, stopped early at 12 s<\/td>.*<td>reconfigured in 1\.5 s<\/td>/);
    assert.match(timed, /<td>reloaded in 4 s<\/td>/);
    assert.match(timed, /<td>3<\/td><td>failed<\/td>(<td class="num">–<\/td>){6}<td>–<\/td>/, 'a trial that never came up has no deploy');
  });

  test('with parallel trials the time table says its phases are busy time', () => {
    const parallel = renderReport({ studies: [{ ...TIMED_STUDY, study: { ...TIMED_STUDY.study, parallel: 3 } }], plots: [], generatedAt: '2026-11-26T02:00:00.000Z' });
    assert.match(parallel, /Up to 3 trials ran at once: each phase is busy time summed over them/);
  });

  test('a study that confirmed its winner shows the verdict, each contender and the confirmation trials apart', () => {
    const base = studyWith({ id: 'gan-confirmed', confirm: 2 }, [{ meanMs: 60 }, { meanMs: 30 }, { meanMs: 32 }]);
    const again = (number: number, confirms: number, round: number, value: number) => ({ ...base.trials[confirms]!, number, kind: 'confirmation' as const, confirms, round, objectiveValue: value });
    const trials = [...base.trials, again(3, 1, 1, 31), again(4, 2, 1, 36), again(5, 1, 2, 33), again(6, 2, 2, 37.5)];
    const page = renderReport({ studies: [{ ...base, trials }], plots: [], generatedAt: '2026-11-26T02:00:00.000Z' });
    assert.match(page, /<h3>Confirmation<\/h3><p>confirmed: trial 1 is best \(32 ms ± 12\.7 over 2 rounds, P\(best\) 0\.\d\d\), 14\.8% ± \d+\.\d% ahead of trial 2\.<\/p>/);
    assert.match(page, /<td>#1<\/td><td class="num">30<\/td><td class="num">31 33<\/td>/);
    assert.match(page, /<td>#1 \(confirmed\)<\/td>/, 'the overview names the confirmed winner');
    assert.match(page, /<td>5<\/td><td>complete, confirms #1 in round 2<\/td>/);
  });

  test('with vega\'s runtime, each figure with a spec becomes a live chart over its static SVG; without, it stays static', () => {
    const spec = { marks: [] };
    const plots = [{ title: 'Live', svg, vega: spec }, { title: 'Static only', svg }];
    const live = renderReport({ studies: [study], plots, generatedAt: '2026-11-26T02:00:00.000Z', vegaRuntime: 'var vega = {};\n//# sourceMappingURL=vega.min.js.map' });
    assert.match(live, /<figure aria-label="Live" data-chart="0"><svg width="10"/, 'the static SVG stays in place for readers without scripts');
    assert.match(live, /<figure aria-label="Static only"><svg/);
    assert.deepEqual(chartSpecsOf(live), [spec]);
    assert.match(live, /<script>var vega = \{\};\n<\/script>/);
    assert.match(live, /Hover a point for its trial/);
    assert.doesNotMatch(markupOf(live), EXTERNAL_REFERENCE);
    assert.doesNotMatch(html, /<script|data-chart/, 'no runtime: no script at all');
  });

  test('a spec whose data holds "</script>" cannot close its element', () => {
    const page = renderReport({ studies: [study], plots: [{ title: 'T', svg, vega: { description: '</script><img src=x>' } }], generatedAt: 'now', vegaRuntime: 'var vega;' });
    assert.doesNotMatch(markupOf(page), /<img/);
    assert.deepEqual(chartSpecsOf(page), [{ description: '</script><img src=x>' }]);
  });

  test('energy figures say they are estimated, and from what; measured ones say RAPL', () => {
    assert.match(html, /<th>J\/req, estimated from CPU time and reserved CPUs and memory<\/th>/);
    assert.match(html, /Energy: energy is estimated, not measured: from each trial&#39;s CPU time and its reserved CPUs and memory, with Cloud Carbon Footprint/);
    const rapl = studyWith({ id: 'rapl', objective: 'energy' }, [{ meanMs: 60, overrides: { energySource: 'rapl' } }]);
    const measured = renderReport({ studies: [rapl], plots: [], generatedAt: 'now' });
    assert.match(measured, /<th>J\/req, measured by RAPL<\/th>/);
    assert.match(measured, /<td>energy, measured by RAPL<\/td>/, 'the overview names the objective with its source');
    assert.doesNotMatch(measured, /estimated/);
  });

  test('the reference check itself catches external references', () => {
    for (const bad of ['<img src="a.png">', '<a href="x">', '<link rel="stylesheet">', '@import "x.css"', 'url(https://x)', 'http://example.com']) {
      assert.match(bad, EXTERNAL_REFERENCE);
    }
  });
});
