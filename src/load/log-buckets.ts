/**
 * A latency histogram with log-spaced buckets (10 per decade, from 10 µs), small enough to store per
 * trial and plot on a log axis. Bucket i holds values in (upper(i-1), upper(i)].
 */
const BUCKETS_PER_DECADE = 10;
const LOWEST_UPPER_MS = 0.01;

export interface Bucket {
  upperMs: number;
  count: number;
}

export class LogBuckets {
  private readonly counts: number[] = [];

  add(valueMs: number): void {
    const index = bucketIndex(valueMs);
    while (this.counts.length <= index) this.counts.push(0);
    this.counts[index] = (this.counts[index] ?? 0) + 1;
  }

  /** Buckets from the first non-empty to the last, empty ones in between kept so plots show gaps. */
  buckets(): Bucket[] {
    const first = this.counts.findIndex((count) => count > 0);
    if (first < 0) return [];
    return this.counts.slice(first).map((count, offset) => ({ upperMs: bucketUpper(first + offset), count }));
  }
}

function bucketIndex(valueMs: number): number {
  if (!(valueMs > LOWEST_UPPER_MS)) return 0;
  // The small epsilon keeps exact bucket edges (e.g. 1 ms) in their own bucket despite float error.
  return Math.ceil(Math.log10(valueMs / LOWEST_UPPER_MS) * BUCKETS_PER_DECADE - 1e-9);
}

export function bucketUpper(index: number): number {
  return Number((LOWEST_UPPER_MS * 10 ** (index / BUCKETS_PER_DECADE)).toPrecision(4));
}
