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

/** One stretch of an open-loop schedule: arrivals at this rate for this long. Rate 0 pauses. */
export interface RateStep {
  rateRps: number;
  durationS: number;
}

export interface OpenLoopOptions {
  urls: string[];
  path: string;
  schedule: RateStep[]; // the measurement window, step after step
  arrivals: 'poisson' | 'constant';
  warmupS: number; // at the first step's rate, not counted
  requestTimeoutMs: number;
  bodies: () => string;
  random: () => number; // uniform in [0, 1), for Poisson gaps
  connectionsPerReplica?: number; // requests beyond this queue in the client (counted in latency)
  signal?: AbortSignal;
}

/** Open-loop figures, overall and per schedule step; latency runs from each request's intended send time. */
export interface OpenLoopResult extends LoadResult {
  offeredRps: number;
  steps: { rateRps: number; durationS: number; result: LoadResult }[];
}

export type LoadFailureCode = 'invalid_load_options' | 'load_aborted';

export type LoadOutcome<R extends LoadResult = LoadResult> =
  | { ok: true; result: R }
  | { ok: false; error: { code: LoadFailureCode; message: string } };
