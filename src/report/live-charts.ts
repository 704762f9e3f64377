/**
 * The report's live charts (pure): each figure holds its static SVG, and, when the page runs scripts, the vega
 * runtime (inlined, so the file stays self-contained) draws the same chart in its place, with tooltips on the
 * points and zoom where the spec binds its scales. The static SVG stays when scripts are off, or when a chart
 * cannot be drawn (the page logs why). Vega-Lite is compiled in Node (render.ts compileSpec): only vega's
 * runtime is shipped. Nothing is fetched: the specs carry their data inline and the loader refuses every URL.
 */
import type { Spec } from 'vega';

/** The attribute that ties a figure to its spec, by index. */
export const CHART_ATTRIBUTE = 'data-chart';

/**
 * Runs in the page: draws every figure's chart, swaps it for the static SVG once drawn, and leaves
 * `window.tuneReportCharts`, a promise of the views (undefined for a chart that failed), for a test to inspect.
 */
const BOOT = `(function () {
  var specs = JSON.parse(document.getElementById('tune-chart-specs').textContent);
  var loader = vega.loader();
  loader.sanitize = function (uri) { return Promise.reject(new Error('the report fetches nothing, not even ' + uri)); };
  var figures = Array.prototype.slice.call(document.querySelectorAll('[${CHART_ATTRIBUTE}]'));
  window.tuneReportCharts = Promise.all(figures.map(function (figure) {
    var live = document.createElement('div');
    live.className = 'live-chart';
    figure.appendChild(live);
    var view = new vega.View(vega.parse(specs[Number(figure.getAttribute('${CHART_ATTRIBUTE}'))]), { renderer: 'svg', container: live, hover: true, loader: loader });
    return view.runAsync().then(function () {
      Array.prototype.slice.call(figure.children).forEach(function (child) { if (child !== live) figure.removeChild(child); });
      figure.setAttribute('data-live', 'true');
      return view;
    }, function (error) {
      figure.removeChild(live);
      console.error('the chart "' + figure.getAttribute('aria-label') + '" could not be drawn (its static picture stays): ' + error);
      return undefined;
    });
  }));
})();`;

/** JSON inside a <script> element: `<` escaped, so no string in it can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Minified vega ends with a source-map comment; dropped, so developer tools look for no file next to the report. */
export function withoutSourceMap(script: string): string {
  return script.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n');
}

/** A compiled spec names its JSON schema by URL; the runtime never reads it, and the file names no URL. */
function withoutSchema(spec: Spec): Spec {
  const { $schema: _, ...rest } = spec;
  return rest;
}

/**
 * The scripts at the end of the report's body: the runtime, the figures' Vega specs in figure order, and the
 * boot script. `runtime` is vega's minified build (files.ts reads it).
 */
export function liveChartScripts(specs: readonly Spec[], runtime: string): string {
  if (specs.length === 0) return '';
  if (/<\/script/i.test(runtime)) throw new Error('the vega runtime contains "</script": it cannot be inlined as is');
  return [
    `<script>${withoutSourceMap(runtime)}</script>`,
    `<script type="application/json" id="tune-chart-specs">${scriptJson(specs.map(withoutSchema))}</script>`,
    `<script>${BOOT}</script>`,
  ].join('\n');
}
