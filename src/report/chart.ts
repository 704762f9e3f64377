/**
 * The Vega-Lite base every full-size plot builds on (pure): the title, the 480×280 view and the plot's points
 * as inline data; a plot adds its marks and encodings (a single mark, or layers). Fonts, background and axis
 * sizes are the renderer's (render.ts).
 */
import type { TopLevelSpec } from 'vega-lite';

export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 280;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a plot adds to the base: a unit spec (mark and encoding) or a layer spec, without title, size or data. */
export type ChartBody = DistributiveOmit<Extract<TopLevelSpec, { mark: unknown } | { layer: unknown }>, 'title' | 'width' | 'height' | 'data'>;

export function chartSpec(title: string, points: readonly object[], body: ChartBody): TopLevelSpec {
  return { title, width: CHART_WIDTH, height: CHART_HEIGHT, data: { values: [...points] }, ...body } as TopLevelSpec;
}

/** Up to this many distinct values, a whole-number axis ticks at each of them. */
const MAX_LISTED_TICKS = 12;

/**
 * The axis of a whole-number field (trial numbers, concurrency levels, replica counts), given the values
 * plotted: integer labels, with a tick at each value when there are few (a short study reads 0 1 2 rather than
 * 0.0 0.5 1.0 1.5 2.0; a sweep's log axis ticks at its levels) and ticks at least 1 apart otherwise.
 */
export function wholeNumberAxis(values: readonly number[]): { format: string; tickMinStep: number; values?: number[] } {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return { format: 'd', tickMinStep: 1, ...(distinct.length > 0 && distinct.length <= MAX_LISTED_TICKS && { values: distinct }) };
}
