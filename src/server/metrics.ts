/**
 * The server's Prometheus metrics in the text exposition format (version 0.0.4). Small enough to write
 * by hand: counters by HTTP code and of live configuration changes, histograms of latency, batch size and
 * inference time, a queue gauge.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const index = this.bounds.findIndex((bound) => value <= bound);
    if (index >= 0) this.counts[index]!++;
  }

  render(): string {
    const lines = header(this.name, this.help, 'histogram');
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += this.counts[i]!;
      lines.push(`${this.name}_bucket{le="${bound}"} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

/** A counter with one label (enough for requests by status code). */
export class LabelledCounter {
  private readonly values = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly label: string,
  ) {}

  inc(labelValue: string, by = 1): void {
    this.values.set(labelValue, (this.values.get(labelValue) ?? 0) + by);
  }

  get(labelValue: string): number {
    return this.values.get(labelValue) ?? 0;
  }

  render(): string {
    const lines = header(this.name, this.help, 'counter');
    const sorted = [...this.values.entries()].sort(([a], [b]) => a.localeCompare(b));
    for (const [value, count] of sorted) lines.push(`${this.name}{${this.label}="${escapeLabel(value)}"} ${count}`);
    return lines.join('\n');
  }
}

/** A counter without labels. */
export class Counter {
  private current = 0;

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(by = 1): void {
    this.current += by;
  }

  get value(): number {
    return this.current;
  }

  render(): string {
    return [...header(this.name, this.help, 'counter'), `${this.name} ${this.current}`].join('\n');
  }
}

export class Gauge {
  private current = 0;

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(value: number): void {
    this.current = value;
  }

  add(delta: number): void {
    this.current += delta;
  }

  get value(): number {
    return this.current;
  }

  render(): string {
    return [...header(this.name, this.help, 'gauge'), `${this.name} ${this.current}`].join('\n');
  }
}

/** Everything the server exports, under the tune_ prefix. */
export class ServerMetrics {
  readonly requests = new LabelledCounter('tune_http_requests_total', 'HTTP requests answered, by status code.', 'code');
  /** By protocol (v1, v2, other: /metrics and unknown paths), beside the by-code counter, whose series stay as they were. */
  readonly apiRequests = new LabelledCounter('tune_http_requests_by_api_total', 'HTTP requests answered, by protocol: v1, v2 or other.', 'api');
  readonly requestSeconds = new Histogram('tune_http_request_duration_seconds', 'Time from request to response.', LATENCY_BUCKETS_S);
  readonly inFlight = new Gauge('tune_http_requests_in_flight', 'Requests received and not yet answered (this one included).');
  readonly queueDepth = new Gauge('tune_batch_queue_depth', 'Instances waiting for a batch.');
  readonly batchSize = new Histogram('tune_batch_size', 'Instances per inference batch.', BATCH_SIZE_BUCKETS);
  readonly inferenceSeconds = new Histogram('tune_inference_duration_seconds', 'Time of one batch inference.', LATENCY_BUCKETS_S);
  readonly reconfigurations = new LabelledCounter(
    'tune_server_reconfigurations_total',
    'Live configuration changes applied, by how: reconfigured (batch limits) or reloaded (new sessions).',
    'applied',
  );
  readonly reloadFailures = new Counter('tune_server_reload_failures_total', 'Live configuration changes refused because new sessions could not be opened.');

  render(): string {
    const parts = [this.requests, this.apiRequests, this.requestSeconds, this.inFlight, this.queueDepth, this.batchSize, this.inferenceSeconds, this.reconfigurations, this.reloadFailures];
    return parts.map((metric) => metric.render()).join('\n') + '\n';
  }
}

function header(name: string, help: string, type: string): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
