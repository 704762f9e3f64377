/** Which plots a set of studies gets (pure), and rendering them to SVG. */
import { modelSlug } from '../study/study-name.ts';
import type { TopLevelSpec } from 'vega-lite';
import type { HistogramBucket } from '../domain/records.ts';
import { concurrencyPoints, concurrencySpec } from './concurrency-scaling.ts';
import { convergenceOverTime, convergenceOverTimeSpec, convergenceSeries, convergenceSpec } from './convergence.ts';
import { parameterEffectsSpec, parameterPoints } from './parameter-effects.ts';
import { compileSpec, renderVegaSvg } from './render.ts';
import type { Spec as VegaSpec } from 'vega';
import { bestTrialPerConcurrency, cumulativeDistribution, distributionSpec } from './rtt-distribution.ts';
import { groupBy } from './study-trials.ts';
import { OBJECTIVE_LABEL, OBJECTIVE_NAME } from '../domain/vocabulary.ts';
import type { StudyTrials } from '../domain/records.ts';
import { tradeoffPoints, tradeoffSpec } from './tradeoffs.ts';
import { tradeoffPlots } from '../dse/tradeoff.ts';
import { wholeNumberParameters } from './whole-numbers.ts';

export interface NamedPlot {
  name: string; // file stem, unique within one report
  title: string;
  spec: TopLevelSpec;
}

export type HistogramOf = (studyId: string, number: number) => HistogramBucket[];

function perConcurrencyPlots(slug: string, model: string, concurrency: number, studies: StudyTrials[]): NamedPlot[] {
  const where = `${model}, concurrency ${concurrency}`;
  const objective = studies[0]!.study.objective;
  const convergenceTitle = `Best ${OBJECTIVE_NAME[objective]} so far, per trial: ${where}`;
  const plots: NamedPlot[] = [
    { name: `${slug}-c${concurrency}-convergence`, title: convergenceTitle, spec: convergenceSpec(convergenceSeries(studies), OBJECTIVE_LABEL[objective], convergenceTitle) },
  ];
  // Next to the per-trial curve: trials differ in cost (reconfigured, stopped early), so time tells what trials hide.
  const timed = convergenceOverTime(studies);
  if (timed.length > 0) {
    const title = `Best ${OBJECTIVE_NAME[objective]} so far, against wall-clock time: ${where}`;
    plots.push({ name: `${slug}-c${concurrency}-convergence-time`, title, spec: convergenceOverTimeSpec(timed, OBJECTIVE_LABEL[objective], title) });
  }
  const points = parameterPoints(studies);
  if (points.length > 0) {
    const title = `Mean latency against each parameter: ${where}`;
    plots.push({ name: `${slug}-c${concurrency}-parameters`, title, spec: parameterEffectsSpec(points, title, wholeNumberParameters(studies)) });
  }
  plots.push(...tradeoffPlots(`${slug}-c${concurrency}`, where, studies));
  // Fronts are drawn per load level: latencies under different concurrencies are not comparable.
  for (const axis of ['cost', 'energy'] as const) {
    const tradeoffs = tradeoffPoints(studies, axis);
    const title = `Latency against ${axis}, Pareto front highlighted: ${where}`;
    if (tradeoffs.length > 0) plots.push({ name: `${slug}-c${concurrency}-latency-${axis}`, title, spec: tradeoffSpec(tradeoffs, axis, title) });
  }
  return plots;
}

function perModelPlots(slug: string, model: string, studies: StudyTrials[], histogramOf: HistogramOf): NamedPlot[] {
  const scaling = concurrencyPoints(studies);
  const levels = new Set(scaling.map((p) => p.concurrency)).size;
  return [...(levels > 1 ? [scalingPlot(`${slug}-concurrency`, model, studies)] : []), ...rttPlot(`${slug}-rtt`, model, studies, histogramOf)];
}

/** Best mean latency against concurrency, one line per strategy. */
export function scalingPlot(name: string, model: string, studies: readonly StudyTrials[]): NamedPlot {
  const title = `Best mean latency against concurrency: ${model}`;
  return { name, title, spec: concurrencySpec(concurrencyPoints(studies), title) };
}

/** The round-trip-time distribution of the best configuration per level; none without stored histograms. */
export function rttPlot(name: string, model: string, studies: readonly StudyTrials[], histogramOf: HistogramOf): NamedPlot[] {
  const distribution = bestTrialPerConcurrency(studies).flatMap((ref) => cumulativeDistribution(ref.concurrency, histogramOf(ref.studyId, ref.number)));
  const title = `Round-trip time distribution of the best configuration per concurrency: ${model}`;
  return distribution.length > 0 ? [{ name, title, spec: distributionSpec(distribution, title) }] : [];
}

export function plotSpecs(studies: readonly StudyTrials[], histogramOf: HistogramOf): NamedPlot[] {
  return [...groupBy(studies, (e) => e.study.model)].flatMap(([model, ofModel]) => {
    const slug = modelSlug(model);
    const byConcurrency = [...groupBy(ofModel, (e) => String(e.study.concurrency))].sort(([a], [b]) => Number(a) - Number(b));
    return [
      ...byConcurrency.flatMap(([concurrency, group]) => perConcurrencyPlots(slug, model, Number(concurrency), group)),
      ...perModelPlots(slug, model, ofModel, histogramOf),
    ];
  });
}

export interface RenderedPlot extends NamedPlot {
  svg: string;
  vega: VegaSpec; // what the SVG was drawn from, and what the report's live chart draws
}

export async function renderPlots(plots: readonly NamedPlot[]): Promise<RenderedPlot[]> {
  const rendered: RenderedPlot[] = [];
  for (const plot of plots) {
    const vega = compileSpec(plot.spec);
    rendered.push({ ...plot, vega, svg: await renderVegaSvg(vega) });
  }
  return rendered;
}
