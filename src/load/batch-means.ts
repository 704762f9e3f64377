import { mean, sampleStandardDeviation } from 'simple-statistics';
import { tQuantile } from './t-quantile.ts';

/**
 * Non-overlapping batch means over samples in completion order, with bounded memory: the batch size
 * doubles (adjacent batches merge) whenever 2×minBatches batches are full, so between minBatches and
 * 2×minBatches equal-sized batches remain however long the window runs. Batching absorbs the serial
 * correlation of latencies under load, which a plain standard error would ignore.
 */
export class BatchMeans {
  private readonly sums: number[] = [];
  private batchSize = 1;
  private partialSum = 0;
  private partialCount = 0;

  constructor(private readonly minBatches = 10) {}

  add(value: number): void {
    this.partialSum += value;
    this.partialCount += 1;
    if (this.partialCount < this.batchSize) return;
    this.sums.push(this.partialSum);
    this.partialSum = 0;
    this.partialCount = 0;
    if (this.sums.length >= 2 * this.minBatches) this.mergePairs();
  }

  /** Standard error of the mean, from the spread of the full batch means; NaN with fewer than two. */
  standardError(): number {
    if (this.sums.length < 2) return Number.NaN;
    const batchMeans = this.sums.map((sum) => sum / this.batchSize);
    return sampleStandardDeviation(batchMeans) / Math.sqrt(batchMeans.length);
  }

  /** Half-width of the 95% confidence interval of the mean; NaN with fewer than two full batches. */
  ci95HalfWidth(): number {
    return tQuantile(0.975, this.sums.length - 1) * this.standardError();
  }

  /** Mean of the full batches (the partial last batch is left out, as the CI is). */
  batchMean(): number {
    return this.sums.length === 0 ? Number.NaN : mean(this.sums) / this.batchSize;
  }

  get fullBatches(): number {
    return this.sums.length;
  }

  private mergePairs(): void {
    const merged: number[] = [];
    for (let i = 0; i + 1 < this.sums.length; i += 2) merged.push((this.sums[i] ?? 0) + (this.sums[i + 1] ?? 0));
    this.sums.length = 0;
    this.sums.push(...merged);
    this.batchSize *= 2;
  }
}
