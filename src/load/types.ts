/** What one measurement window produced. All latencies in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  /** Half-width of the 95% confidence interval of the mean (batch means), ms. */
  meanCi95: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export type LoadErrorKind = 'http_4xx' | 'http_5xx' | 'http_503' | 'timeout' | 'connection' | 'other';

export interface LoadResult {
  latency: LatencySummary;
  durationS: number; // measured window length
  completed: number; // successful responses in the window
  throughputRps: number;
  errors: Partial<Record<LoadErrorKind, number>>;
  /** Latency histogram of successful requests: bucket upper bounds (ms) and counts, for plots and SQL. */
  histogram: { upperMs: number; count: number }[];
}

export interface ClosedLoopOptions {
  urls: string[]; // one per replica; requests are spread over all of them
  path: string; // e.g. /v1/models/marian:predict
  concurrency: number; // exactly this many requests outstanding at all times
  warmupS: number; // not counted
  durationS: number; // measurement window
  maxRequests?: number; // stop the window early after this many
  requestTimeoutMs: number;
  bodies: () => string; // next request body (JSON)
  signal?: AbortSignal;
}
