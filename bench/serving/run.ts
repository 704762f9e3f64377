/**
 * Serving benchmark, per model:
 *  1. floor: the runner called in-process at batch 1 (session.run plus tensor packing; no HTTP, JSON, queue);
 *  2. the server's round trip over HTTP at concurrency 1 with max batch 1 → overhead = round trip / floor;
 *  3. throughput at concurrency 20 with max batch 1 vs max batch N (timeout 0) → batching lift.
 * The server runs as a child process of src/server/main.ts (the container entry point) on 127.0.0.1, or,
 * with --target <url>, is whatever already listens there (steps 2–3 then measure that one configuration).
 *
 *   node --import tsx bench/serving/run.ts --models gan,bert --duration 10
 *   node --import tsx bench/serving/run.ts --models marian --target http://127.0.0.1:8501 --name marian
 */
import { parseArgs } from 'node:util';
import { ensureModel, isBuiltinModel } from '../../src/models/index.ts';
import { runClosedLoop } from '../../src/load/index.ts';
import { workloadFor } from '../../src/load/workloads/index.ts';
import { CONFIG_DEFAULTS, type ServerConfig } from '../../src/server/config.ts';
import { readManifest } from '../../src/server/model-loader.ts';
import { ROUTES } from '../../src/server/protocol.ts';
import { loadTokenizer } from '../../src/server/tokenizer-loader.ts';
import { measureFloor } from './floor.ts';
import { startServerProcess } from './server-process.ts';
import { servingTable, type ServingRow } from './table.ts';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'gan,bert,resnet,marian' },
    precision: { type: 'string', default: 'fp32' },
    duration: { type: 'string', default: '10' },
    threads: { type: 'string', default: '2' },
    batch: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '20' },
    target: { type: 'string' },
    name: { type: 'string' },
  },
});

const durationS = Number(args.duration);
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
    warmupS: Math.min(3, durationS / 3),
    durationS,
    requestTimeoutMs: 120_000,
    bodies,
  });
  if (!outcome.ok) throw new Error(`[${outcome.error.code}] ${outcome.error.message}`);
  const { result } = outcome;
  const errors = Object.values(result.errors).reduce((sum, n) => sum + (n ?? 0), 0);
  return { meanMs: result.latency.mean, rps: result.throughputRps, errors };
}

/** Mean instances per batch from the server's own histogram. */
async function meanBatch(url: string): Promise<number> {
  const text = await (await fetch(url + ROUTES.metrics)).text();
  const sum = Number(/^tune_batch_size_sum (\S+)$/m.exec(text)?.[1]);
  const count = Number(/^tune_batch_size_count (\S+)$/m.exec(text)?.[1]);
  return count > 0 ? sum / count : NaN;
}

async function withServer<T>(config: ServerConfig, use: (url: string) => Promise<T>): Promise<T> {
  if (args.target) return use(args.target);
  const server = await startServerProcess(config);
  try {
    return await use(server.url);
  } finally {
    await server.stop();
  }
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
  process.stderr.write(`${model}: floor…\n`);
  const floor = await measureFloor(modelDir, read.manifest, config, loadTokenizer, bodies(), durationS);
  process.stderr.write(`${model}: HTTP c=1 and c=${concurrency} at max batch 1…\n`);
  const [single, unbatched] = await withServer({ ...config, maxBatchSize: 1 }, async (url) => [
    await load(url, name, bodies(), 1),
    await load(url, name, bodies(), concurrency),
  ]);
  process.stderr.write(`${model}: c=${concurrency} at max batch ${maxBatch}…\n`);
  const [batched, batchMean] = await withServer({ ...config, maxBatchSize: maxBatch, batchTimeoutUs: 0 }, async (url) => [
    await load(url, name, bodies(), concurrency),
    await meanBatch(url),
  ] as const);
  return {
    model: `${model} ${precision}`,
    floorMs: floor.meanMs,
    roundTripMs: single.meanMs,
    rpsBatch1: unbatched.rps,
    rpsBatched: batched.rps,
    meanBatch: batchMean,
    errors: single.errors + unbatched.errors + batched.errors,
  };
}

const rows: ServingRow[] = [];
for (const model of args.models.split(',').map((m) => m.trim()).filter(Boolean)) rows.push(await benchModel(model));
console.log(`\nintra-op threads ${threads}, ${durationS} s windows, closed loop, ${args.target ? `target ${args.target}` : 'server child process on 127.0.0.1'}`);
console.log(servingTable(rows, `max batch ${maxBatch}, timeout 0`));
