/**
 * The load generator's own ceiling: requests per second against a no-op server in another process,
 * at concurrency 1, 20 and 60, with autocannon right after on the same server for reference (on a
 * shared machine the two together say whether a low figure is the generator or the moment). Model
 * servers reach a few hundred rps at most (gan), so the generator must manage at least ten times that.
 * Run: node --import tsx bench/load/ceiling.ts [seconds per cell, default 3]
 */
import autocannon from 'autocannon';
import { runClosedLoop } from '../../src/load/closed-loop.ts';
import { workloadFor } from '../../src/load/workloads/index.ts';
import { startTarget } from './target-process.ts';

const SECONDS = Number(process.argv[2] ?? 3);
const CONCURRENCIES = [1, 20, 60];
const GOAL_RPS = 3000; // ten times the fastest model server's few hundred rps
const PATH = '/v1/models/noop:predict';

const gan = workloadFor('gan', { seed: 1 });
if (!gan.ok) throw new Error(gan.error.message);
const bodies = { tiny: '{"instances":[[0.5]]}', gan: gan.workload.bodies() };

async function ours(url: string, concurrency: number, body: string): Promise<{ rps: number; mean: number; p99: number; errors: number }> {
  const outcome = await runClosedLoop({
    urls: [url],
    path: PATH,
    concurrency,
    warmupS: 0.5,
    durationS: SECONDS,
    requestTimeoutMs: 5000,
    bodies: () => body,
  });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const { throughputRps, latency, errors } = outcome.result;
  return { rps: throughputRps, mean: latency.mean, p99: latency.p99, errors: Object.values(errors).reduce((sum, count) => sum + (count ?? 0), 0) };
}

async function autocannonRps(url: string, concurrency: number, body: string): Promise<number> {
  const result = await autocannon({ url: `${url}${PATH}`, connections: concurrency, duration: SECONDS, method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return result.requests.total / SECONDS;
}

const target = await startTarget('none');
console.log(`generator ceiling against a no-op node:http server (separate process), ${SECONDS} s per cell`);
console.log('| body | concurrency | rps | mean ms | p99 ms | errors | ≥ goal | autocannon rps |');
console.log('|---|---:|---:|---:|---:|---:|---|---:|');
for (const [name, body] of Object.entries(bodies)) {
  for (const concurrency of CONCURRENCIES) {
    const figures = await ours(target.url, concurrency, body);
    const reference = await autocannonRps(target.url, concurrency, body);
    const row = [name, concurrency, figures.rps.toFixed(0), figures.mean.toFixed(3), figures.p99.toFixed(3), figures.errors, figures.rps >= GOAL_RPS ? 'yes' : 'NO', reference.toFixed(0)];
    console.log(`| ${row.join(' | ')} |`);
  }
}
await target.stop();
