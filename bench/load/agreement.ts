/**
 * Does our closed loop measure what autocannon measures? Both drive the same server (fixed 20 ms, and
 * uniform 10–30 ms delays) at concurrency 1, 20 and 60, one after the other, each after a short
 * warm-up, alternating tool by tool several times; the table gives each tool's median mean and p99
 * over the repeats and their ratios (goal: within 5%).
 * Autocannon records whole milliseconds (its HDR histogram truncates each latency), so its figures sit
 * about 0.5 ms low on average; the "adj." ratios compare against autocannon + 0.5 ms to undo that bias.
 * Run: node --import tsx bench/load/agreement.ts [seconds per run, default 2] [repeats, default 5]
 */
import autocannon from 'autocannon';
import { median } from 'simple-statistics';
import { runClosedLoop } from '../../src/load/closed-loop.ts';
import type { DelayMode } from './target-server.ts';
import { startTarget } from './target-process.ts';

const SECONDS = Number(process.argv[2] ?? 2);
const REPEATS = Number(process.argv[3] ?? 5); // alternating runs per tool; medians damp a shared machine's noise
const WARMUP_S = 1;
const CONCURRENCIES = [1, 20, 60];
const MODES: DelayMode[] = ['fixed', 'jitter'];
const PATH = '/v1/models/bench:predict';
const BODY = '{"instances":[{"text":"我今天很忙。"}]}';

interface Figures {
  mean: number;
  p99: number;
  rps: number;
}

async function ours(url: string, concurrency: number): Promise<Figures> {
  const outcome = await runClosedLoop({
    urls: [url],
    path: PATH,
    concurrency,
    warmupS: WARMUP_S,
    durationS: SECONDS,
    requestTimeoutMs: 5000,
    bodies: () => BODY,
  });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return { mean: outcome.result.latency.mean, p99: outcome.result.latency.p99, rps: outcome.result.throughputRps };
}

async function theirs(url: string, concurrency: number): Promise<Figures> {
  const options = { url: `${url}${PATH}`, connections: concurrency, pipelining: 1, method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } };
  await autocannon({ ...options, duration: WARMUP_S });
  const result = await autocannon({ ...options, duration: SECONDS });
  return { mean: result.latency.mean, p99: result.latency.p99, rps: result.requests.total / SECONDS };
}

const TRUNCATION_BIAS_MS = 0.5;
const ratio = (a: number, b: number): string => (a / b).toFixed(3);
const adjusted = (a: number, b: number): string => ratio(a, b + TRUNCATION_BIAS_MS);

async function medians(url: string, concurrency: number): Promise<[Figures, Figures]> {
  const runs: [Figures[], Figures[]] = [[], []];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    runs[0].push(await ours(url, concurrency));
    runs[1].push(await theirs(url, concurrency));
  }
  const middle = (figures: Figures[]): Figures => ({
    mean: median(figures.map((f) => f.mean)),
    p99: median(figures.map((f) => f.p99)),
    rps: median(figures.map((f) => f.rps)),
  });
  return [middle(runs[0]), middle(runs[1])];
}

console.log(`closed-loop agreement with autocannon: medians of ${REPEATS} alternating runs of ${SECONDS} s (after ${WARMUP_S} s warm-up) per tool`);
console.log('| delay | conc. | ours mean | ac mean | ratio | adj. ratio | ours p99 | ac p99 | ratio | adj. ratio | ours rps | ac rps |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const mode of MODES) {
  const target = await startTarget(mode);
  for (const concurrency of CONCURRENCIES) {
    const [a, b] = await medians(target.url, concurrency);
    const cells = [
      mode === 'fixed' ? '20 ms' : '10–30 ms',
      concurrency,
      a.mean.toFixed(2),
      b.mean.toFixed(2),
      ratio(a.mean, b.mean),
      adjusted(a.mean, b.mean),
      a.p99.toFixed(2),
      b.p99.toFixed(2),
      ratio(a.p99, b.p99),
      adjusted(a.p99, b.p99),
      a.rps.toFixed(0),
      b.rps.toFixed(0),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  await target.stop();
}
