/**
 * The load generator's own ceiling: requests per second against a no-op server in another process,
 * at concurrency 1, 20 and 60. Model servers reach a few hundred rps at most (gan), so the generator
 * must manage at least ten times that to never be the bottleneck.
 * Run: node --import tsx bench/load/ceiling.ts [seconds per cell, default 3]
 */
import { runClosedLoop } from '../../src/load/closed-loop.ts';
import { workloadFor } from '../../src/load/workloads/index.ts';
import { startTarget } from './target-process.ts';

const SECONDS = Number(process.argv[2] ?? 3);
const CONCURRENCIES = [1, 20, 60];
const GOAL_RPS = 3000; // ten times the fastest model server's few hundred rps

const workload = workloadFor('gan', { seed: 1 });
const bodies = {
  tiny: () => '{"instances":[[0.5]]}',
  gan: workload.ok ? workload.workload.bodies : () => '{}',
};

const target = await startTarget('none');
console.log(`generator ceiling against a no-op node:http server (separate process), ${SECONDS} s per cell`);
console.log('| body | concurrency | rps | mean ms | p99 ms | errors | ≥ goal |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const [name, next] of Object.entries(bodies)) {
  for (const concurrency of CONCURRENCIES) {
    const outcome = await runClosedLoop({
      urls: [target.url],
      path: '/v1/models/noop:predict',
      concurrency,
      warmupS: 0.5,
      durationS: SECONDS,
      requestTimeoutMs: 5000,
      bodies: next,
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { throughputRps, latency, errors } = outcome.result;
    const errorCount = Object.values(errors).reduce((sum, count) => sum + (count ?? 0), 0);
    const row = [name, concurrency, throughputRps.toFixed(0), latency.mean.toFixed(3), latency.p99.toFixed(3), errorCount, throughputRps >= GOAL_RPS ? 'yes' : 'NO'];
    console.log(`| ${row.join(' | ')} |`);
  }
}
await target.stop();
