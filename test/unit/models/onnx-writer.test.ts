import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import ort from 'onnxruntime-node';
import { float, GraphBuilder } from '../../../src/models/onnx/graph.ts';
import { ModelProto } from '../../../src/models/onnx/schema.ts';
import { IR_VERSION, OPSET, writeModel } from '../../../src/models/onnx/writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'onnx-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** y = LeakyRelu(x · W + b, 0.5) with a Reshape through an int64 constant. */
function smallGraph(): GraphBuilder {
  const g = new GraphBuilder('small');
  const x = g.input('x', 'FLOAT', ['batch', 2]);
  const w = g.initializer('w', { dataType: 'FLOAT', dims: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) });
  const b = g.float32([-10, 0, 10], [3]);
  const y = g.op('LeakyRelu', [g.op('Add', [g.op('MatMul', [x, w]), b])], { alpha: float(0.5) });
  g.output('y', 'FLOAT', ['batch', 3], g.op('Reshape', [y, g.int64([-1, 3])]));
  return g;
}

describe('ONNX writer', () => {
  test('onnxruntime loads and runs what it writes', async () => {
    const path = join(dir, 'small.onnx');
    writeModel(path, smallGraph(), { producerVersion: 'test' });
    const session = await ort.InferenceSession.create(path);
    assert.deepEqual(session.inputNames, ['x']);
    assert.deepEqual(session.outputNames, ['y']);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 1, 0, 1), [2, 2]) });
    // [1,1]·W = [5,7,9] + b = [-5,7,19] → leaky [-2.5,7,19]; [0,1]·W = [4,5,6] + b = [-6,5,16] → [-3,5,16]
    assert.deepEqual([...(out['y']!.data as Float32Array)], [-2.5, 7, 19, -3, 5, 16]);
    assert.deepEqual(out['y']!.dims, [2, 3]);
  });

  test('the bytes decode as a ModelProto with the onnx.proto field numbers', () => {
    const path = join(dir, 'decode.onnx');
    const size = writeModel(path, smallGraph(), { producerVersion: 'v9', metadata: { seed: '7' } });
    const bytes = readFileSync(path);
    assert.equal(bytes.byteLength, size);
    const model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array }) as {
      irVersion: number;
      opsetImport: { domain: string; version: number }[];
      producerVersion: string;
      metadataProps: { key: string; value: string }[];
      graph: { name: string; initializer: { name: string; dims: number[]; dataType: number; rawData: number[] }[] };
    };
    assert.equal(model.irVersion, IR_VERSION);
    assert.deepEqual(model.opsetImport, [{ domain: '', version: OPSET }]);
    assert.equal(model.producerVersion, 'v9');
    assert.deepEqual(model.metadataProps, [{ key: 'seed', value: '7' }]);
    assert.equal(model.graph.name, 'small');
    const w = model.graph.initializer.find((t) => t.name === 'w')!;
    assert.deepEqual(w.dims, [2, 3]);
    assert.equal(w.dataType, 1);
    assert.deepEqual([...new Float32Array(Uint8Array.from(w.rawData).buffer)], [1, 2, 3, 4, 5, 6]);
  });
});
