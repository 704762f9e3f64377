/**
 * Built-in model figures: file sizes, build times, int8-vs-fp32 top-1 agreement and relative logit
 * error on 16 sample inputs, and batch-1 single-thread latency in onnxruntime-node. For the conv nets
 * it also times an int8 variant whose convolutions stay fp32 (only the dense layer quantized), the
 * measurement behind GAN_QUANTIZE_CONV / RESNET_QUANTIZE_CONV.
 *
 *   node --import tsx bench/models/run.ts [marian resnet bert gan] [--runs 30]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_MODELS, isBuiltinModel, type BuiltinModel } from '../../src/models/builder.ts';
import { builderFor, DEFAULT_SEED, ensureModel, readStamp } from '../../src/models/build.ts';
import { MANIFEST_FILE, type ModelManifest } from '../../src/models/manifest.ts';
import { writeModel } from '../../src/models/onnx/writer.ts';
import { openProbe, relativeError, type ProbeResult } from '../../src/models/probe.ts';
import { WeightSource } from '../../src/models/weights.ts';

const SAMPLES = 16;

interface Row {
  model: string;
  variant: string;
  mb: string;
  buildS: string;
  agree: string;
  distinct: string;
  relErr: string;
  p50: string;
  p90: string;
}

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 30;
const named = args.filter((a, i) => isBuiltinModel(a) && (runsAt < 0 || i !== runsAt + 1));
const models: BuiltinModel[] = named.length > 0 ? (named as BuiltinModel[]) : [...BUILTIN_MODELS];

const rows: Row[] = [];
for (const model of models) rows.push(...(await benchModel(model)));
console.table(rows);

async function benchModel(model: BuiltinModel): Promise<Row[]> {
  const variants: [string, string][] = [
    ['fp32', await ensureModel({ model, precision: 'fp32' })],
    ['int8', await ensureModel({ model, precision: 'int8' })],
  ];
  if (model === 'gan' || model === 'resnet') variants.push(['int8 (fp32 convs)', await writeFp32ConvVariant(model)]);
  const measured = await measureInterleaved(variants.map(([, dir]) => dir));
  const rows = variants.map(([variant, dir], i) => row(model, variant, dir, measured[i]!, measured[0]!));
  for (const [variant, dir] of variants) if (variant.includes('(')) rmSync(dir, { recursive: true, force: true });
  return rows;
}

interface Measured {
  results: ProbeResult[];
  latencies: number[];
}

/** Sample outputs of each variant, then timed runs alternating between variants so drift hits all alike. */
async function measureInterleaved(dirs: string[]): Promise<Measured[]> {
  const probes = await Promise.all(dirs.map((dir) => openProbe(dir, readManifest(dir))));
  const measured: Measured[] = [];
  for (const probe of probes) {
    const results: ProbeResult[] = [];
    for (let i = 0; i < SAMPLES; i++) results.push(await probe.run(i));
    measured.push({ results, latencies: [] });
  }
  for (let r = 0; r < runs; r++) {
    for (const [i, probe] of probes.entries()) {
      const started = performance.now();
      await probe.run(r % SAMPLES);
      measured[i]!.latencies.push(performance.now() - started);
    }
  }
  await Promise.all(probes.map((p) => p.release()));
  return measured;
}

function row(model: string, variant: string, dir: string, m: Measured, reference: Measured): Row {
  const stamp = readStamp(dir);
  const bytes = stamp ? Object.values(stamp.fileBytes).reduce((a, b) => a + b, 0) : Number.NaN;
  const agree = m.results.filter((r, i) => r.top.join() === reference.results[i]!.top.join()).length;
  const errors = m.results.map((r, i) => relativeError(r.logits, reference.results[i]!.logits));
  const sorted = [...m.latencies].sort((a, b) => a - b);
  const at = (q: number): string => (sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN).toFixed(1);
  return {
    model,
    variant,
    mb: (bytes / 1e6).toFixed(1),
    buildS: stamp ? (stamp.buildMs / 1000).toFixed(1) : '-',
    agree: `${agree}/${SAMPLES}`,
    distinct: String(new Set(m.results.map((r) => r.top.join())).size),
    relErr: (errors.reduce((a, b) => a + b, 0) / errors.length).toFixed(4),
    p50: at(0.5),
    p90: at(0.9),
  };
}

/** int8 model with fp32 convolutions, written to a scratch dir (not cached). */
async function writeFp32ConvVariant(model: BuiltinModel): Promise<string> {
  const builder = builderFor(model);
  const dir = join('/tmp', `tune-bench-${model}-int8-fp32conv-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const fileBytes: Record<string, number> = {};
  for (const file of builder.files({ precision: 'int8', weights: new WeightSource(DEFAULT_SEED), quantizeConv: false })) {
    fileBytes[file.fileName] = writeModel(join(dir, file.fileName), await file.graph(), { producerVersion: 'bench' });
  }
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(builder.manifest('int8')));
  const stamp = { model, precision: 'int8', seed: DEFAULT_SEED, builderVersion: builder.version, fileBytes, buildMs: Math.round(performance.now() - started) };
  writeFileSync(join(dir, 'build.json'), JSON.stringify(stamp));
  return dir;
}

function readManifest(dir: string): ModelManifest {
  return JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as ModelManifest;
}
