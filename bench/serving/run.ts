/**
 * Serving benchmark, per model:
 *  1. floor: the runner called in-process at batch 1 (session.run plus tensor packing; no HTTP, JSON, queue);
 *  2. the server's round trip over HTTP at concurrency 1 with max batch 1 → overhead = round trip / floor;
 *  3. throughput at concurrency C with max batch 1 vs max batch N (timeout 0) → batching lift; next to it
 *     the in-process lift (batch-1 time / per-instance time at batch N), the most batching could give.
 * Both servers are child processes of src/server/main.ts (the container entry point) on 127.0.0.1, idle
 * while the other is measured. The machine is shared, so measurements alternate over several rounds and
 * the table shows medians: slow spells then hit every column alike instead of one.
 * With --target <url>, whatever listens there is measured instead (both batch columns then describe it).
 *
 *   node --import tsx bench/serving/run.ts --models gan,bert --window 5 --rounds 3
 *   node --import tsx bench/serving/run.ts --models marian --target http://127.0.0.1:8501 --name marian
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { runClosedLoop } from '../../src/load/index.ts';
import { workloadFor } from '../../src/load/workloads/index.ts';
import { ensureModel, isBuiltinModel } from '../../src/models/index.ts';
import { CONFIG_DEFAULTS, type ServerConfig } from '../../src/server/config.ts';
import { readManifest } from '../../src/server/model-loader.ts';
import { ROUTES } from '../../src/server/protocol.ts';
import { loadTokenizer } from '../../src/server/tokenizer-loader.ts';
import { openFloor } from './floor.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { servingTable, type ServingRow } from './table.ts';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'gan,bert,resnet,marian' },
    precision: { type: 'string', default: 'fp32' },
    window: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    batch: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '20' },
    target: { type: 'string' },
    name: { type: 'string' },
  },
});

const windowS = Number(args.window);
const rounds = Number(args.rounds);
const threads = Number(args.threads);
const maxBatch = Number(args.batch);
const concurrency = Number(args.concurrency);

interface Measured {
  meanMs: number;
  rps: number;
  errors: number;
}

async function load(url: string, name: string, bodies: () => string, clients: number): Promise<Measured> {
  const outcome = await runClosedLoop({
    urls: [url],
    path: ROUTES.predict(name),
    concurrency: clients,
    warmupS: 1,
    durationS: windowS,
    requestTimeoutMs: 120_000,
    bodies,
  });
  if (!outcome.ok) throw new Error(`[${outcome.error.code}] ${outcome.error.message}`);
  await waitIdle(url);
  const { result } = outcome;
  const errors = Object.values(result.errors).reduce((sum, n) => sum + (n ?? 0), 0);
  return { meanMs: result.latency.mean, rps: result.throughputRps, errors };
}

/**
 * Waits until the server has answered everything: the closed loop cuts off its last requests, but the
 * server still runs them, and that work must not overlap the next measurement.
 */
async function waitIdle(url: string): Promise<void> {
  for (;;) {
    const text = await (await fetch(url + ROUTES.metrics)).text();
    const inFlight = /^tune_http_requests_in_flight (\S+)$/m.exec(text)?.[1];
    if (inFlight === undefined || Number(inFlight) <= 1) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Mean instances per batch from the server's own histogram. */
async function meanBatch(url: string): Promise<number> {
  const text = await (await fetch(url + ROUTES.metrics)).text();
  const sum = Number(/^tune_batch_size_sum (\S+)$/m.exec(text)?.[1]);
  const count = Number(/^tune_batch_size_count (\S+)$/m.exec(text)?.[1]);
  return count > 0 ? sum / count : NaN;
}

async function startServer(config: ServerConfig): Promise<ServerProcess> {
  if (args.target) return { url: args.target, stop: async () => null };
  return startServerProcess(config);
}

async function benchModel(model: string): Promise<ServingRow> {
  if (!isBuiltinModel(model)) throw new Error(`unknown model ${model}: use gan, bert, resnet or marian`);
  const precision = args.precision === 'int8' ? 'int8' : 'fp32';
  const modelDir = await ensureModel({ model, precision });
  const read = readManifest(modelDir);
  if (!read.ok) throw new Error(read.message);
  const name = args.name ?? model;
  const bodies = () => {
    const workload = workloadFor(model, { seed: 7 });
    if (!workload.ok) throw new Error(workload.error.message);
    return workload.workload.bodies;
  };
  const config: ServerConfig = { ...CONFIG_DEFAULTS, modelDir, modelName: name, intraOpThreads: threads, queueBound: 256 };
  const floor = await openFloor(modelDir, read.manifest, config, loadTokenizer, bodies());
  const unbatchedServer = await startServer({ ...config, maxBatchSize: 1 });
  const batchedServer = await startServer({ ...config, maxBatchSize: maxBatch, batchTimeoutUs: 0 });
  const samples = { floor: [] as number[], batchedFloor: [] as number[], single: [] as number[], unbatched: [] as number[], batched: [] as number[] };
  let errors = 0;
  try {
    for (let round = 1; round <= rounds; round++) {
      process.stderr.write(`${model}: round ${round}/${rounds}\n`);
      samples.floor.push(await floor.timeBatches(1, windowS));
      samples.batchedFloor.push((await floor.timeBatches(maxBatch, windowS)) / maxBatch);
      const single = await load(unbatchedServer.url, name, bodies(), 1);
      const unbatched = await load(unbatchedServer.url, name, bodies(), concurrency);
      const batched = await load(batchedServer.url, name, bodies(), concurrency);
      samples.single.push(single.meanMs);
      samples.unbatched.push(unbatched.rps);
      samples.batched.push(batched.rps);
      errors += single.errors + unbatched.errors + batched.errors;
    }
    return {
      model: `${model} ${precision}`,
      floorMs: median(samples.floor),
      perInstanceBatchedMs: median(samples.batchedFloor),
      roundTripMs: median(samples.single),
      rpsBatch1: median(samples.unbatched),
      rpsBatched: median(samples.batched),
      meanBatch: await meanBatch(batchedServer.url),
      errors,
    };
  } finally {
    await Promise.all([floor.close(), unbatchedServer.stop(), batchedServer.stop()]);
  }
}

const loadBefore = loadavg()[0]!;
const rows: ServingRow[] = [];
for (const model of args.models.split(',').map((m) => m.trim()).filter(Boolean)) rows.push(await benchModel(model));
const where = args.target ? `target ${args.target}` : 'server child processes on 127.0.0.1';
console.log(
  `\nmedians of ${rounds} alternating rounds of ${windowS} s windows; intra-op threads ${threads}; closed loop; ${where}; ` +
    `${cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
);
console.log(servingTable(rows, { maxBatch, concurrency }));
