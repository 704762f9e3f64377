/**
 * The HTML report as a reader opens it: studies stored in a real SQLite database, `tune report` run as a child
 * process, the file opened in headless Chromium. Every chart must be drawn live with marks, every point must
 * carry its trial's tooltip, hovering a point must show it, the convergence plot must zoom, and the page must
 * log no error and request nothing. Without Chromium the test skips, except on CI (CI=true), where it fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { StudyRecord } from '../../src/domain/records.ts';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import { runTune } from '../e2e/cli-run.ts';
import { aStudy, recordStudy, someParams, tickingClock, type TrialSpec } from '../unit/storage/fixtures.ts';
import { chromiumAvailable, launchChromium, type Browser, type Page } from './headless-chromium.ts';

const SPACE_FILE = new URL('../../search-spaces/default.json', import.meta.url);
const storedSpace = { origin: 'search-spaces/default.json', document: JSON.parse(readFileSync(SPACE_FILE, 'utf8')), pinned: {} };

/** A measured trial: latency, cost and energy vary with the configuration so every front has several points. */
function trial(meanMs: number, replicas: number, batch: number): TrialSpec {
  const params = { ...someParams, replicas, cpus: 1, max_batch_size: batch };
  const histogram = [5, 10, 20, 40].map((upperMs, i) => ({ upperMs: upperMs * (meanMs / 20), count: 10 * (4 - i) }));
  return { meanMs, params, overrides: { usdPerMillionRequests: 20 * replicas + meanMs / 10, joulesPerRequest: 0.05 * replicas + meanMs / 500 }, histogram };
}

const study = (overrides: Partial<StudyRecord>): StudyRecord => aStudy({ model: 'resnet50', space: storedSpace, ...overrides });
const STUDIES: { study: StudyRecord; trials: TrialSpec[] }[] = [
  { study: study({ id: 'resnet-bo-c8-s1', strategy: 'bo' }), trials: [trial(80, 1, 1), trial(45, 2, 4), { failure: 'oom_killed' }, trial(30, 3, 8), trial(33, 4, 8), trial(28, 3, 16)] },
  { study: study({ id: 'resnet-random-c8-s1', strategy: 'random' }), trials: [trial(80, 1, 1), trial(60, 2, 1), trial(41, 4, 2), trial(39, 2, 32)] },
  { study: study({ id: 'resnet-bo-c2-s1', strategy: 'bo', concurrency: 2 }), trials: [trial(25, 1, 1), trial(18, 2, 2), trial(15, 1, 4)] },
  {
    study: study({ id: 'resnet-bo-mean-cost-c8-s1', strategy: 'bo', objectives: ['mean', 'cost'] }),
    trials: [trial(80, 1, 1), trial(30, 4, 8), trial(50, 1, 4), trial(40, 2, 4), trial(36, 3, 8)],
  },
];

interface ChartState {
  title: string;
  live: boolean;
  onlyLive: boolean; // the static SVG was swapped out
  marks: number; // items of the data marks (every point of a line counts)
  points: number; // symbol items
  pointsWithTip: number;
  zoomable: boolean;
}

/** Per figure, from its vega view's scenegraph. */
const CHART_STATES = `(async () => {
  const views = await window.tuneReportCharts;
  return [...document.querySelectorAll('[data-chart]')].map((figure, i) => {
    const view = views[i];
    const state = { title: figure.getAttribute('aria-label'), live: figure.getAttribute('data-live') === 'true', onlyLive: figure.children.length === 1 && figure.firstElementChild.className === 'live-chart', marks: 0, points: 0, pointsWithTip: 0, zoomable: false };
    if (!view) return state;
    const walk = (mark) => {
      for (const item of mark.items || []) {
        if (mark.marktype === 'group') (item.items || []).forEach(walk);
        else if (mark.role === 'mark') {
          state.marks++;
          if (mark.marktype === 'symbol') { state.points++; if (item.tooltip && typeof item.tooltip === 'object' && item.tooltip.trial) state.pointsWithTip++; }
        }
      }
    };
    walk(view.scenegraph().root);
    try { view.signal('zoom'); state.zoomable = true; } catch { state.zoomable = false; }
    return state;
  });
})()`;

/** The centre of the first point of figure `index` in page coordinates, scrolled into view, and that chart's x domain. */
const firstPoint = (index: number) => `(async () => {
  const view = (await window.tuneReportCharts)[${index}];
  const figure = document.querySelectorAll('[data-chart]')[${index}];
  figure.scrollIntoView();
  const symbol = figure.querySelector('.live-chart svg .mark-symbol path');
  const box = symbol.getBoundingClientRect();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, domain: view.scale('x').domain() };
})()`;

/** vega's own tooltip handler writes the hovered item's tooltip into its container's title attribute. */
const tooltipOf = (index: number) => `document.querySelectorAll('[data-chart]')[${index}].querySelector('.live-chart').getAttribute('title')`;
const domainOf = (index: number) => `(async () => { const view = (await window.tuneReportCharts)[${index}]; await view.runAsync(); return view.scale('x').domain(); })()`;

describe('the HTML report in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tune-report-browser-'));
  const db = join(dir, 'tune.db');
  const out = join(dir, 'report.html');
  const haveChromium = chromiumAvailable();
  let browser: Browser | undefined;
  let page: Page | undefined;
  let charts: ChartState[] = [];

  before(async () => {
    if (!haveChromium) return;
    const opened = SqliteStorage.open(db, { now: tickingClock() });
    assert.ok(opened.ok);
    for (const { study: record, trials } of STUDIES) recordStudy(opened.storage, record, trials);
    opened.storage.close();
    const run = await runTune(['report', '--db', db, '--study', ...STUDIES.map((s) => s.study.id), '--out', out], dir);
    assert.equal(run.code, 0, run.stderr);
    browser = await launchChromium();
    page = await browser.open(pathToFileURL(out).href);
    charts = await page.evaluate<ChartState[]>(CHART_STATES);
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Chromium is here (on CI it must be: scripts/setup.sh installs it)', (t) => {
    if (haveChromium) return;
    if (process.env.CI === 'true') assert.fail('chromium is not installed: run scripts/setup.sh (apt-get install chromium)');
    t.skip('chromium is not installed: apt-get install chromium');
  });

  test('every chart is drawn live, with marks, in place of its static picture', { skip: !haveChromium }, () => {
    assert.ok(charts.length >= 8, `expected the convergence, time, parameter, trade-off, front, hypervolume, scaling and RTT charts, got ${charts.map((c) => c.title).join(' | ')}`);
    for (const chart of charts) {
      assert.ok(chart.live && chart.onlyLive, `"${chart.title}" was not drawn live`);
      assert.ok(chart.marks > 0, `"${chart.title}" drew no marks`);
    }
  });

  test('every point carries its trial in a tooltip', { skip: !haveChromium }, () => {
    const withPoints = charts.filter((c) => c.points > 0);
    assert.ok(withPoints.length >= 7, 'the charts with points');
    for (const chart of withPoints) assert.equal(chart.pointsWithTip, chart.points, `"${chart.title}": points without a trial tooltip`);
  });

  test('hovering a point shows its configuration and measurements, energy marked estimated', { skip: !haveChromium }, async () => {
    const index = charts.findIndex((c) => c.title.startsWith('Latency against energy'));
    assert.ok(index >= 0);
    const point = await page!.evaluate<{ x: number; y: number }>(firstPoint(index));
    await page!.mouse('mouseMoved', point.x - 8, point.y - 8); // enter the chart, then the point
    await page!.mouse('mouseMoved', point.x, point.y);
    const tooltip = await page!.evaluate<string | null>(tooltipOf(index));
    assert.match(tooltip ?? '', /^trial: #\d+ of resnet-/m);
    for (const name of Object.keys(someParams)) assert.match(tooltip ?? '', new RegExp(`^${name}: `, 'm'), `the tooltip lists ${name}`);
    assert.match(tooltip ?? '', /^mean latency \(ms\): [\d.]+ ± /m);
    assert.match(tooltip ?? '', /^energy \(J\/req\), estimated from CPU time and reserved CPUs and memory: [\d.]+$/m);
  });

  test('the convergence plot zooms with the wheel', { skip: !haveChromium }, async () => {
    const index = charts.findIndex((c) => c.title.startsWith('Best mean latency so far, per trial'));
    assert.ok(index >= 0 && charts[index]!.zoomable, 'the per-trial convergence plot binds its scales');
    const point = await page!.evaluate<{ x: number; y: number; domain: number[] }>(firstPoint(index));
    await page!.mouse('mouseWheel', point.x + 60, point.y, -400);
    const domain = await page!.evaluate<number[]>(domainOf(index));
    assert.ok(domain[1]! - domain[0]! < point.domain[1]! - point.domain[0]!, `zooming in narrows the trial axis: ${point.domain} → ${domain}`);
  });

  test('the page logs no error and requests nothing', { skip: !haveChromium }, () => {
    assert.deepEqual(page!.problems.errors, []);
    assert.deepEqual(page!.problems.requests, []);
  });
});
