import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inlineSvg, renderReport } from '../../../src/report/html.ts';
import { EXTERNAL_REFERENCE, studyWith } from './fixtures.ts';
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

  test('the reference check itself catches external references', () => {
    for (const bad of ['<img src="a.png">', '<a href="x">', '<link rel="stylesheet">', '@import "x.css"', 'url(https://x)', 'http://example.com']) {
      assert.match(bad, EXTERNAL_REFERENCE);
    }
  });
});
