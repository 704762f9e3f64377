import * as hdr from 'hdr-histogram-js';
import { BatchMeans } from './batch-means.ts';
import { LogBuckets } from './log-buckets.ts';
import type { LatencySummary, LoadErrorKind, LoadResult, WindowProgress } from './types.ts';

const MICROS_PER_MS = 1000;

/**
 * Collects one measurement window: every successful latency (HDR histogram at microsecond precision for
 * percentiles, an exact running sum for the mean, batch means for its CI, log buckets for storage) and
 * every failure by kind. Failures never enter the latency figures.
 */
export class LatencyRecorder {
  private readonly hdr = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  private readonly batches = new BatchMeans(10);
  private readonly buckets = new LogBuckets();
  private readonly errors: Partial<Record<LoadErrorKind, number>> = {};
  private sumMs = 0;
  private count = 0;
  private errorCount = 0;
  private minMs = Number.POSITIVE_INFINITY;
  private maxMs = 0;

  recordSuccess(latencyMs: number): void {
    const ms = Math.max(0, latencyMs);
    this.hdr.recordValue(Math.max(1, Math.round(ms * MICROS_PER_MS)));
    this.batches.add(ms);
    this.buckets.add(ms);
    this.sumMs += ms;
    this.count += 1;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  recordError(kind: LoadErrorKind): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
    this.errorCount += 1;
  }

  /** The window so far, from running totals only (no histogram read), so a monitor can look often. */
  progress(elapsedS: number): WindowProgress {
    return {
      elapsedS,
      completed: this.count,
      errors: this.errorCount,
      meanMs: this.mean(),
      meanStandardErrorMs: this.batches.standardError(),
      batches: this.batches.fullBatches,
    };
  }

  result(durationS: number): LoadResult {
    return {
      latency: this.summary(),
      durationS,
      completed: this.count,
      throughputRps: durationS > 0 ? this.count / durationS : 0,
      errors: { ...this.errors },
      histogram: this.buckets.buckets(),
    };
  }

  private summary(): LatencySummary {
    if (this.count === 0) {
      return { count: 0, mean: NaN, meanCi95: NaN, min: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, max: NaN };
    }
    // HDR reports a bucket's highest equivalent value, which may overshoot the exact extremes.
    const at = (percentile: number): number =>
      Math.min(this.maxMs, Math.max(this.minMs, this.hdr.getValueAtPercentile(percentile) / MICROS_PER_MS));
    return {
      count: this.count,
      mean: this.mean(),
      meanCi95: this.batches.ci95HalfWidth(),
      min: this.minMs,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      max: this.maxMs,
    };
  }

  private mean(): number {
    return this.count === 0 ? Number.NaN : this.sumMs / this.count;
  }
}
