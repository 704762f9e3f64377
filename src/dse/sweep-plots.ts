/**
 * The sweep's plots: best mean latency per level (report's concurrency-scaling), BO's gain over random per
 * level (drawn here), and the round-trip-time distribution of the best configuration per level from the stored
 * histograms (report's rtt-distribution).
 */
import type { TopLevelSpec } from 'vega-lite';
import { concurrencyPoints, concurrencySpec } from '../report/concurrency-scaling.ts';
import { modelSlug, type HistogramOf, type NamedPlot } from '../report/plots.ts';
import { bestTrialPerConcurrency, cumulativeDistribution, distributionSpec } from '../report/rtt-distribution.ts';
import type { StudyTrials } from '../report/study-trials.ts';
import type { LevelResult } from './sweep-results.ts';

export interface GainPoint {
  concurrency: number;
  gain: number;
}

export function gainPoints(results: readonly LevelResult[]): GainPoint[] {
  return results.flatMap((r) => (r.gain === undefined ? [] : [{ concurrency: r.concurrency, gain: r.gain }]));
}

export function gainSpec(points: readonly GainPoint[], title: string): TopLevelSpec {
  return {
    title,
    width: 480,
    height: 280,
    data: { values: [...points] },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'concurrency', type: 'ordinal', title: 'Client concurrency' },
          y: { field: 'gain', type: 'quantitative', title: 'Random best ÷ BO best (× faster)' },
        },
      },
      // 1× marks "no gain": above it BO found the faster configuration.
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: '#6b7280', strokeDash: [4, 4] }, encoding: { y: { field: 'one', type: 'quantitative' } } },
    ],
  };
}

export function sweepPlots(model: string, studies: readonly StudyTrials[], results: readonly LevelResult[], histogramOf: HistogramOf): NamedPlot[] {
  const slug = modelSlug(model);
  const plots: NamedPlot[] = [];
  const scalingTitle = `Best mean latency against concurrency: ${model}`;
  plots.push({ name: `${slug}-sweep-latency`, title: scalingTitle, spec: concurrencySpec(concurrencyPoints(studies), scalingTitle) });
  const gains = gainPoints(results);
  if (gains.length > 0) {
    const title = `BO's gain over random search per concurrency: ${model}`;
    plots.push({ name: `${slug}-sweep-gain`, title, spec: gainSpec(gains, title) });
  }
  const distribution = bestTrialPerConcurrency(studies).flatMap((ref) => cumulativeDistribution(ref.concurrency, histogramOf(ref.studyId, ref.number)));
  if (distribution.length > 0) {
    const title = `Round-trip time distribution of the best configuration per concurrency: ${model}`;
    plots.push({ name: `${slug}-sweep-rtt`, title, spec: distributionSpec(distribution, title) });
  }
  return plots;
}
