/** Rendering: vega-lite spec → vega (also what the report's live charts run) → SVG (headless, no canvas), and SVG → PNG with resvg. */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { findFonts, FONT_FAMILY } from './fonts.ts';

const CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  view: { stroke: '#e5e7eb' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/** The Vega spec a plot compiles to, with the report's fonts and sizes: what both the SVG and the live chart draw. */
export function compileSpec(spec: TopLevelSpec): vega.Spec {
  return compile({ ...spec, config: { ...CONFIG, ...spec.config } } as TopLevelSpec).spec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  return renderVegaSvg(compileSpec(spec));
}

/** A compiled spec drawn to SVG, headless. */
export async function renderVegaSvg(compiled: vega.Spec): Promise<string> {
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises at twice the SVG size so the PNG stays sharp on high-density screens. */
export function resvgOptions(): ResvgRenderOptions {
  return {
    fitTo: { mode: 'zoom', value: 2 },
    font: { ...findFonts(), defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  };
}

export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, resvgOptions()).render().asPng();
}
