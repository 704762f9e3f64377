/** Which plots a set of studies gets (pure), and rendering them to SVG. */
import { basename, extname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { HistogramBucket } from '../storage/storage.ts';
import { concurrencyPoints, concurrencySpec } from './concurrency-scaling.ts';
import { convergenceSeries, convergenceSpec } from './convergence.ts';
import { parameterEffectsSpec, parameterPoints } from './parameter-effects.ts';
import { renderSvg } from './render.ts';
import { bestTrialPerConcurrency, cumulativeDistribution, distributionSpec } from './rtt-distribution.ts';
import { groupBy, OBJECTIVE_LABEL, OBJECTIVE_NAME, type StudyTrials } from './study-trials.ts';
import { tradeoffPoints, tradeoffSpec } from './tradeoffs.ts';

export interface NamedPlot {
  name: string; // file stem, unique within one report
  title: string;
  spec: TopLevelSpec;
}

export type HistogramOf = (studyId: string, number: number) => HistogramBucket[];

/** A file-name-safe name for a model, which may be a built-in name or a user's path. */
export function modelSlug(model: string): string {
  const stem = basename(model, extname(model));
  return stem.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model';
}

function perConcurrencyPlots(slug: string, model: string, concurrency: number, studies: StudyTrials[]): NamedPlot[] {
  const where = `${model}, concurrency ${concurrency}`;
  const objective = studies[0]!.study.objective;
  const convergenceTitle = `Best ${OBJECTIVE_NAME[objective]} so far, per trial: ${where}`;
  const plots: NamedPlot[] = [
    { name: `${slug}-c${concurrency}-convergence`, title: convergenceTitle, spec: convergenceSpec(convergenceSeries(studies), OBJECTIVE_LABEL[objective], convergenceTitle) },
  ];
  const points = parameterPoints(studies);
  if (points.length > 0) {
    const title = `Mean latency against each parameter: ${where}`;
    plots.push({ name: `${slug}-c${concurrency}-parameters`, title, spec: parameterEffectsSpec(points, title) });
  }
  // Fronts are drawn per load level: latencies under different concurrencies are not comparable.
  for (const axis of ['cost', 'energy'] as const) {
    const tradeoffs = tradeoffPoints(studies, axis);
    const title = `Latency against ${axis}, Pareto front highlighted: ${where}`;
    if (tradeoffs.length > 0) plots.push({ name: `${slug}-c${concurrency}-latency-${axis}`, title, spec: tradeoffSpec(tradeoffs, axis, title) });
  }
  return plots;
}

function perModelPlots(slug: string, model: string, studies: StudyTrials[], histogramOf: HistogramOf): NamedPlot[] {
  const plots: NamedPlot[] = [];
  const scaling = concurrencyPoints(studies);
  if (new Set(scaling.map((p) => p.concurrency)).size > 1) {
    const title = `Best mean latency against concurrency: ${model}`;
    plots.push({ name: `${slug}-concurrency`, title, spec: concurrencySpec(scaling, title) });
  }
  const distribution = bestTrialPerConcurrency(studies).flatMap((ref) =>
    cumulativeDistribution(ref.concurrency, histogramOf(ref.studyId, ref.number)),
  );
  if (distribution.length > 0) {
    const title = `Round-trip time distribution of the best configuration per concurrency: ${model}`;
    plots.push({ name: `${slug}-rtt`, title, spec: distributionSpec(distribution, title) });
  }
  return plots;
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
}

export async function renderPlots(plots: readonly NamedPlot[]): Promise<RenderedPlot[]> {
  const rendered: RenderedPlot[] = [];
  for (const plot of plots) rendered.push({ ...plot, svg: await renderSvg(plot.spec) });
  return rendered;
}
