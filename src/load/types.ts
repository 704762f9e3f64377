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
  /** True when a window monitor ended the window before its duration or request count; durationS is then the shortened length. */
  stoppedEarly?: boolean;
}

/** The measurement window so far, as a window monitor sees it. Latencies in milliseconds. */
export interface WindowProgress {
  elapsedS: number; // since the window (not the warm-up) began
  completed: number; // successful responses so far
  errors: number; // failed requests so far, all kinds
  meanMs: number; // running mean latency of the successes; NaN before the first
  meanStandardErrorMs: number; // batch-means standard error of that mean; NaN with fewer than two full batches
  batches: number; // full batches the standard error rests on
}

/** Looks at the window every `everyS` seconds (never in the warm-up); `stop` returning true ends it there. */
export interface WindowMonitor {
  everyS: number;
  stop: (progress: WindowProgress) => boolean;
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
  monitor?: WindowMonitor; // may end the window early (stoppedEarly on the result)
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
