/**
 * Sends requests to a replica and times each answer by status, to see how fast an overloaded server sheds
 * load: a burst of N at once, or a constant rate for a while. The load generator records only successes'
 * latency (by design), so refusal latency is measured here.
 */
import { performance } from 'node:perf_hooks';
import { quantileSorted } from 'simple-statistics';
import { Pool } from 'undici';

export interface Answer {
  status: number; // 0: no answer (connection failed)
  code?: string; // the JSON error code, if any
  ms: number;
}

export interface ProbeTarget {
  url: string; // http://127.0.0.1:<port>
  path: string;
  body: string;
}

async function send(pool: Pool, target: ProbeTarget): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await pool.request({ method: 'POST', path: target.path, headers: { 'content-type': 'application/json' }, body: target.body });
    const text = await response.body.text();
    const ms = performance.now() - started;
    const code = response.statusCode >= 400 ? errorCode(text) : undefined;
    return { status: response.statusCode, ms, ...(code === undefined ? {} : { code }) };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

function errorCode(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** `count` requests at once, each on its own connection. */
export async function burst(target: ProbeTarget, count: number): Promise<Answer[]> {
  const pool = new Pool(target.url, { connections: count, pipelining: 1 });
  try {
    return await Promise.all(Array.from({ length: count }, () => send(pool, target)));
  } finally {
    await pool.close();
  }
}

/**
 * Requests at a constant rate for `warmupS + durationS`, whether or not earlier ones were answered (open loop);
 * the answers to those sent during the warm-up are left out. The warm-up lets the pool open its connections:
 * hundreds of connects at once overflow the server's accept queue, and the SYN retries (1 s, 3 s) would be
 * measured instead of the server's answers.
 */
export async function paced(target: ProbeTarget, rateRps: number, durationS: number, warmupS = 0): Promise<Answer[]> {
  const pool = new Pool(target.url, { connections: 512, pipelining: 1 });
  const pending: Promise<Answer>[] = [];
  const started = performance.now();
  const total = Math.round(rateRps * (warmupS + durationS));
  try {
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rateRps;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(send(pool, target));
    }
    return (await Promise.all(pending)).slice(Math.round(rateRps * warmupS));
  } finally {
    await pool.close();
  }
}

export interface LatencyFigures {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function latencyFigures(answers: readonly Answer[]): LatencyFigures {
  const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, p50: NaN, p99: NaN, max: NaN };
  return { count: sorted.length, p50: quantileSorted(sorted, 0.5), p99: quantileSorted(sorted, 0.99), max: sorted[sorted.length - 1]! };
}

export function formatFigures(label: string, f: LatencyFigures): string {
  return `${label}: n=${f.count} p50=${f.p50.toFixed(1)} ms p99=${f.p99.toFixed(1)} ms max=${f.max.toFixed(1)} ms`;
}
