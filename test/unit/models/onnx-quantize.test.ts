import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ort from 'onnxruntime-node';
import { GraphBuilder, type Tensor } from '../../../src/models/onnx/graph.ts';
import { modelChunks } from '../../../src/models/onnx/writer.ts';
import { quantizeDynamic, type QuantizeOptions } from '../../../src/models/onnx-quantize/index.ts';
import { decodeModel, encodeModel, int64ToNumber, type GraphMsg, type ModelMsg, type ValueInfoMsg } from '../../../src/models/onnx-quantize/onnx-proto.ts';
import { quantizeChannelsUint8, quantizeColumnsInt8 } from '../../../src/models/onnx-quantize/rewrite.ts';
import { WeightSource } from '../../../src/models/weights.ts';

const weights = new WeightSource(11);
const floats = (name: string, dims: number[], std = 0.5): Tensor => ({
  dataType: 'FLOAT',
  dims,
  data: weights.normal(name, dims.reduce((a, b) => a * b, 1), std),
});

function bytesOf(g: GraphBuilder): Uint8Array {
  return Buffer.concat(modelChunks(g, { producerVersion: 'test' }));
}

function edit(bytes: Uint8Array, change: (model: ModelMsg, graph: GraphMsg) => void): Uint8Array {
  const model = decodeModel(bytes);
  change(model, model.graph as GraphMsg);
  return encodeModel(model);
}

async function run(bytes: Uint8Array, feeds: Record<string, { data: Float32Array; dims: number[] }>): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.data, v.dims)])));
  return session.outputNames.map((name) => out[name]!.data as Float32Array);
}

function quantized(bytes: Uint8Array, options?: QuantizeOptions) {
  const outcome = quantizeDynamic(bytes, options);
  if (!outcome.ok) assert.fail(outcome.error.message);
  assert.ok(outcome.bytes, 'bytes returned');
  return { ...outcome, bytes: outcome.bytes };
}

const ops = (bytes: Uint8Array) => (decodeModel(bytes).graph?.node ?? []).map((n) => n.opType);
const count = (list: (string | undefined)[], op: string) => list.filter((o) => o === op).length;

/** Largest |a − b| relative to the largest |a|: quantization noise of 8-bit weights and activations stays a few %. */
function relativeError(expected: Float32Array, actual: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(expected[i]! - actual[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return worst / scale;
}

function assertClose(expected: Float32Array | undefined, actual: Float32Array | undefined, tolerance: number, label: string): void {
  const error = relativeError(expected!, actual!);
  assert.ok(error < tolerance, `${label}: error ${error} of the largest output, over ${tolerance}`);
}

/** Runs fp32 and int8 on the same feeds; their first outputs must agree within `tolerance`. */
async function assertSameModel(fp32: Uint8Array, int8: Uint8Array, feeds: Parameters<typeof run>[1], tolerance: number, label: string): Promise<Float32Array> {
  const [expected] = await run(fp32, feeds);
  const [actual] = await run(int8, feeds);
  assertClose(expected, actual, tolerance, label);
  return actual!;
}

const input = (name: string, dims: number[]) => ({ data: weights.normal(name, dims.reduce((a, b) => a * b, 1), 1), dims });

describe('quantizeDynamic', () => {
  test('MatMul with a constant weight becomes DynamicQuantizeLinear → MatMulInteger → Cast → Mul, close to fp32', async () => {
    const g = new GraphBuilder('matmul');
    const x = g.input('x', 'FLOAT', ['batch', 32]);
    g.output('y', 'FLOAT', ['batch', 24], g.op('MatMul', [x, g.initializer('w', floats('w', [32, 24]))]));
    const fp32 = bytesOf(g);
    for (const perChannel of [false, true]) {
      const q = quantized(fp32, { perChannel });
      assert.deepEqual([q.matmuls, q.convs, q.gemms], [1, 0, 0]);
      assert.deepEqual(ops(q.bytes), ['DynamicQuantizeLinear', 'MatMulInteger', 'Mul', 'Cast', 'Mul', 'Identity']);
      await assertSameModel(fp32, q.bytes, { x: input('x', [4, 32]) }, 0.03, `perChannel ${perChannel}`);
      assert.ok(q.bytes.byteLength < fp32.byteLength / 2, 'the int8 weights make the file smaller');
      assert.ok(!decodeModel(q.bytes).graph!.initializer!.some((t) => t.name === 'w'), 'the fp32 weight is gone');
    }
  });

  test('Conv with and without bias becomes ConvInteger with uint8 weights, the bias added back in float', async () => {
    for (const withBias of [true, false]) {
      const g = new GraphBuilder('conv');
      const x = g.input('x', 'FLOAT', ['batch', 3, 9, 9]);
      const w = g.initializer('w', floats('cw', [8, 3, 3, 3]));
      const inputs = withBias ? [x, w, g.initializer('b', floats('cb', [8], 0.3))] : [x, w];
      const conv = g.op('Conv', inputs, { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] });
      // A depthwise conv after it: group attribute carried over.
      const dw = g.op('Conv', [conv, g.initializer('dw', floats('dw', [8, 1, 3, 3]))], { group: 8, kernel_shape: [3, 3] });
      g.output('y', 'FLOAT', ['batch', 8, 3, 3], dw);
      const fp32 = bytesOf(g);
      for (const perChannel of [false, true]) {
        const q = quantized(fp32, { perChannel });
        assert.deepEqual([q.matmuls, q.convs], [0, 2]);
        const list = ops(q.bytes);
        assert.equal(count(list, 'ConvInteger'), 2);
        assert.equal(count(list, 'Conv'), 0);
        assert.equal(count(list, 'Add'), withBias ? 1 : 0);
        assert.equal(count(list, 'DynamicQuantizeLinear'), 2);
        const model = decodeModel(q.bytes);
        assert.equal(model.graph!.initializer!.find((t) => t.name === 'w_quantized')?.dataType, 2, 'uint8 weights');
        await assertSameModel(fp32, q.bytes, { x: input('cx', [2, 3, 9, 9]) }, 0.05, `bias ${withBias}, perChannel ${perChannel}`);
      }
    }
  });

  test('a weight read by two MatMuls is quantized once; one activation read by two is quantized once', async () => {
    const g = new GraphBuilder('shared');
    const x = g.input('x', 'FLOAT', ['batch', 16]);
    const w = g.initializer('w', floats('sw', [16, 16]));
    const first = g.op('MatMul', [x, w]);
    const second = g.op('MatMul', [g.op('Relu', [first]), w]);
    const third = g.op('MatMul', [x, g.initializer('v', floats('sv', [16, 16]))]);
    g.output('y', 'FLOAT', ['batch', 16], g.op('Add', [second, third]));
    const fp32 = bytesOf(g);
    const q = quantized(fp32);
    assert.equal(q.matmuls, 3);
    const model = decodeModel(q.bytes);
    const names = model.graph!.initializer!.map((t) => t.name);
    assert.deepEqual(names.filter((n) => n?.startsWith('w')).sort(), ['w_quantized', 'w_scale', 'w_zero_point']);
    assert.equal(count(ops(q.bytes), 'DynamicQuantizeLinear'), 2, 'x once (two readers) and relu once');
    await assertSameModel(fp32, q.bytes, { x: input('sx', [3, 16]) }, 0.05, 'int8 vs fp32');
  });

  test('Gemm: transB, alpha and beta·C folded in; transA = 1 is left fp32', async () => {
    const g = new GraphBuilder('gemm');
    const x = g.input('x', 'FLOAT', ['batch', 12]);
    const b = g.initializer('b', floats('gb', [10, 12]));
    const c = g.initializer('c', floats('gc', [10], 0.3));
    const y = g.op('Gemm', [x, b, c], { transB: 1, alpha: { float: 0.5 }, beta: { float: 2 } });
    const plain = g.op('Gemm', [y, g.initializer('b2', floats('gb2', [10, 6]))]);
    const t = g.op('Gemm', [g.op('Transpose', [plain]), g.initializer('b3', floats('gb3', [6, 4]))], { transA: 1 });
    g.output('y', 'FLOAT', ['batch', 4], t);
    const fp32 = bytesOf(g);
    const q = quantized(fp32);
    assert.equal(q.gemms, 2);
    assert.equal(count(ops(q.bytes), 'Gemm'), 1, 'the transA Gemm stays');
    await assertSameModel(fp32, q.bytes, { x: input('gx', [5, 12]) }, 0.05, 'int8 vs fp32');
    const untouched = quantized(fp32, { gemm: false });
    assert.equal(untouched.gemms, 0);
    assert.equal(count(ops(untouched.bytes), 'Gemm'), 3);
  });

  test('weights in Constant nodes are quantized and the Constant nodes dropped; an initializer that is also a graph input is not', async () => {
    const g = new GraphBuilder('constants');
    const x = g.input('x', 'FLOAT', ['batch', 8]);
    g.input('w_input', 'FLOAT', [8, 8]);
    const overridable = g.initializer('w_input', floats('wi', [8, 8]));
    const constant = g.op('Constant', [], { value: floats('wc', [8, 8]) });
    g.output('y', 'FLOAT', ['batch', 8], g.op('MatMul', [g.op('MatMul', [x, constant]), overridable]));
    const fp32 = bytesOf(g);
    const q = quantized(fp32);
    assert.equal(q.matmuls, 1);
    assert.deepEqual(ops(q.bytes), ['DynamicQuantizeLinear', 'MatMulInteger', 'Mul', 'Cast', 'Mul', 'MatMul', 'Identity']);
    await assertSameModel(fp32, q.bytes, { x: input('cx8', [2, 8]) }, 0.05, 'Constant-node weight');
  });

  test('weights stored as float_data are read like raw_data', async () => {
    const g = new GraphBuilder('float_data');
    const x = g.input('x', 'FLOAT', ['batch', 8]);
    g.output('y', 'FLOAT', ['batch', 4], g.op('MatMul', [x, g.initializer('w', floats('fd', [8, 4]))]));
    const raw = bytesOf(g);
    const fp32 = edit(raw, (_, graph) => {
      const w = graph.initializer!.find((t) => t.name === 'w')!;
      w.floatData = [...new Float32Array(Uint8Array.from(w.rawData!).buffer)];
      delete w.rawData;
    });
    const fromRaw = quantized(raw);
    const fromFloats = quantized(fp32);
    assert.equal(fromFloats.matmuls, 1);
    const feeds = { x: input('fx', [2, 8]) };
    assert.deepEqual(await run(fromFloats.bytes, feeds), await run(fromRaw.bytes, feeds));
  });

  test('nodes inside a subgraph are left alone, and the fp32 weight they read is kept', async () => {
    const g = new GraphBuilder('subgraph');
    const x = g.input('x', 'FLOAT', ['batch', 8]);
    const flag = g.input('flag', 'BOOL', []);
    const w = g.initializer('w', floats('sgw', [8, 8]));
    const main = g.op('MatMul', [x, w]);
    g.node('If', [flag], {}, { outputs: ['branch'] });
    g.output('y', 'FLOAT', ['batch', 8], main);
    g.output('branch', 'FLOAT', ['batch', 8]);
    const branch = (out: string, op: string): GraphMsg => ({
      name: out,
      node: [{ opType: op, domain: '', input: op === 'MatMul' ? ['x', 'w'] : ['x'], output: [out], name: `${out}_node` }],
      output: [{ name: out, type: { tensorType: { elemType: 1 } } } as ValueInfoMsg],
    });
    const fp32 = edit(bytesOf(g), (_, graph) => {
      const ifNode = graph.node!.find((n) => n.opType === 'If')!;
      ifNode.attribute = [
        { name: 'then_branch', type: 5, g: branch('then_out', 'MatMul') },
        { name: 'else_branch', type: 5, g: branch('else_out', 'Relu') },
      ];
    });
    const q = quantized(fp32);
    assert.equal(q.matmuls, 1);
    const model = decodeModel(q.bytes);
    assert.ok(model.graph!.initializer!.some((t) => t.name === 'w'), 'the subgraph still reads w');
    const thenBranch = model.graph!.node!.find((n) => n.opType === 'If')!.attribute!.find((a) => a.name === 'then_branch')!.g!;
    assert.equal(thenBranch.node![0]!.opType, 'MatMul');
    const session = await ort.InferenceSession.create(q.bytes);
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(16).fill(1), [2, 8]), flag: new ort.Tensor('bool', [true], []) });
    assert.deepEqual(out['branch']!.dims, [2, 8]);
  });

  test('an opset 9 model is moved to opset 11 (Clip, Slice, Pad attributes become inputs) and means the same', async () => {
    const g = new GraphBuilder('opset9');
    const x = g.input('x', 'FLOAT', ['batch', 16]);
    const h = g.op('MatMul', [x, g.initializer('w', floats('ow', [16, 12]))]);
    const clipped = g.op('Clip', [h], { min: { float: -0.5 }, max: { float: 0.75 } });
    const sliced = g.op('Slice', [clipped], { starts: [2], ends: [10], axes: [1] });
    const padded = g.op('Pad', [sliced], { pads: [0, 1, 0, 2], value: { float: 0.25 } });
    g.output('y', 'FLOAT', ['batch', 11], padded);
    const fp32 = edit(bytesOf(g), (model) => {
      model.opsetImport = [{ domain: '', version: 9 }];
      model.irVersion = 4;
    });
    const q = quantized(fp32);
    const model = decodeModel(q.bytes);
    assert.deepEqual(model.opsetImport!.map((o) => [o.domain, int64ToNumber(o.version)]), [['', 11]]);
    assert.equal(int64ToNumber(model.irVersion), 6);
    // Clipped to [-0.5, 0.75]: the noise is judged against that small range.
    const actual = await assertSameModel(fp32, q.bytes, { x: input('ox', [3, 16]) }, 0.1, 'after Clip, Slice, Pad');
    assert.equal(actual.length, 3 * 11);
    const pad = [...actual.slice(0, 11)];
    assert.equal(pad[0], 0.25);
    assert.ok(pad.every((v) => v >= -0.5 && v <= 0.75), `clipped: ${pad.join(', ')}`);
  });

  test('a model with nothing to quantize comes back unchanged with zero counts', () => {
    const g = new GraphBuilder('nothing');
    g.output('y', 'FLOAT', ['batch', 4], g.op('Relu', [g.input('x', 'FLOAT', ['batch', 4])]));
    const bytes = bytesOf(g);
    const q = quantized(bytes);
    assert.deepEqual([q.matmuls, q.convs, q.gemms], [0, 0, 0]);
    assert.deepEqual(Buffer.from(q.bytes), Buffer.from(bytes));
  });

  test('bytes that are not ONNX are a model-corrupt failure', () => {
    for (const junk of [Buffer.from('definitely not an onnx model\n'), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f), new Uint8Array(0)]) {
      const outcome = quantizeDynamic(junk);
      assert.equal(outcome.ok, false);
      if (!outcome.ok) assert.equal(outcome.error.code, 'model-corrupt');
    }
  });
});

describe('per-channel weight quantization', () => {
  test('int8 per column: each column scaled by its own max |w| / 127', () => {
    const w = Float32Array.of(1, -9, 0.5, 20, -2, 5); // [3, 2]
    const { data, scales } = quantizeColumnsInt8(w, 3, 2);
    assert.deepEqual([...scales].map((s) => +s.toFixed(6)), [+(2 / 127).toFixed(6), +(20 / 127).toFixed(6)]);
    assert.deepEqual([...data], [64, -57, 32, 127, -127, 32]);
  });

  test('uint8 per output channel: int8 symmetric values around the shared zero point 128', () => {
    const w = Float32Array.of(1, -1, 0, 0.5, 4, -2, 0, 1); // [2, 4]
    const { data, scales, zeroPoint } = quantizeChannelsUint8(w, 2);
    assert.equal(zeroPoint, 128);
    assert.deepEqual([...scales].map((s) => +s.toFixed(6)), [+(1 / 127).toFixed(6), +(4 / 127).toFixed(6)]);
    assert.deepEqual([...data], [255, 1, 128, 192, 255, 65, 128, 160]);
  });
});
