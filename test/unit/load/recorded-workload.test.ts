/** Recorded traffic (--workload): V1 and V2 lines, their sample shapes, checking against a model, replay order; generated tensors. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { workloadFor } from '../../../src/load/workloads/index.ts';
import { parseRecordedLines, readRecordedWorkload, recordedInstances, sampleShapes, type RecordedWorkload } from '../../../src/load/workloads/user-file.ts';
import type { TensorManifest } from '../../../src/models/manifest.ts';
import { instanceParser } from '../../../src/server/runners/parsers.ts';
import { decodeInferRequest } from '../../../src/server/v2/codec.ts';
import { uniformSource } from '../../../src/random/rng.ts';

const manifest: TensorManifest = {
  kind: 'tensor',
  name: 'user:/m/ocr_rec.onnx',
  precision: 'fp32',
  synthetic: false,
  file: 'model.onnx',
  inputs: [{ name: 'x', dtype: 'float32', shape: [2, null] }],
  outputs: [{ name: 'y', dtype: 'float32', shape: [null] }],
  warmUpShapes: { x: [2, 3] },
};

const V1 = '{"x": [[1, 2, 3], [4, 5, 6]]}';
const V2 = '{"inputs": [{"name": "x", "shape": [2, 2, 1], "datatype": "FP32", "data": [7, 8, 9, 10]}]}';

function recorded(text: string): RecordedWorkload {
  const parsed = parseRecordedLines(text, 'traffic.jsonl');
  assert.ok(parsed.ok);
  return { file: 'traffic.jsonl', sha256: 'ab', lines: parsed.lines };
}

function replay(workload: RecordedWorkload, model: TensorManifest = manifest) {
  const parser = instanceParser(model, undefined);
  return recordedInstances(workload, (body) => decodeInferRequest(model, body), (instance) => parser.parse(instance));
}

describe('a recorded workload', () => {
  test('V1 lines are one instance each, V2 lines as many as their first dim, in the file order', () => {
    const made = replay(recorded(`${V1}\n\n${V2}\n${V1}\n`));
    assert.ok(made.ok, made.ok ? '' : made.error.message);
    assert.deepEqual(made.instances.map((i) => JSON.parse(i) as unknown), [{ x: [[1, 2, 3], [4, 5, 6]] }, { x: [[7], [8]] }, { x: [[9], [10]] }, { x: [[1, 2, 3], [4, 5, 6]] }]);
  });

  test('each line shows its item shapes: a V1 instance by its nested arrays, a V2 tensor by its shape without the batch', () => {
    assert.deepEqual(sampleShapes(recorded(`${V1}\n${V2}\n[1, 2]\n`).lines), [{ x: [2, 3] }, { x: [2, 1] }]);
  });

  test('a line the model cannot take is named by its number, the input and the shape it needs', () => {
    const wrong = replay(recorded(`${V1}\n{"x": [[1, 2, 3]]}\n`));
    assert.deepEqual(wrong, {
      ok: false,
      error: { code: 'workload_mismatch', message: 'workload file traffic.jsonl line 2: input "x" must be float32 [2, d2] (one item, no batch dim), got [1, 3]' },
    });
    const named = replay(recorded(`{"image": [[1]]}\n`));
    assert.match(named.ok ? '' : named.error.message, /^workload file traffic\.jsonl line 1: "image" is not an input of the model: its inputs are x$/);
    const v2 = replay(recorded(`${V1}\n{"inputs": [{"name": "z", "shape": [1, 2, 1], "datatype": "FP32", "data": [1, 2]}]}\n`));
    assert.match(v2.ok ? '' : v2.error.message, /^workload file traffic\.jsonl line 2: /);
  });

  test('the file is read as bytes and hashed, and replayed in order, cycling, N per request', () => {
    const bytes = new TextEncoder().encode(`${V1}\n${V2}\n`);
    const read = readRecordedWorkload('traffic.jsonl', () => bytes);
    assert.ok(read.ok);
    assert.equal(read.workload.sha256, createHash('sha256').update(bytes).digest('hex'));
    const made = replay(read.workload);
    assert.ok(made.ok);
    const workload = workloadFor('unused', { recorded: { instances: made.instances, source: 'traffic.jsonl' }, instancesPerRequest: 2 });
    assert.ok(workload.ok);
    const bodies = [1, 2, 3].map(() => (JSON.parse(workload.workload.bodies()) as { instances: { x: number[][] }[] }).instances.map((i) => i.x[0]?.[0]));
    assert.deepEqual(bodies, [[1, 7], [9, 1], [1, 7]]);
    assert.equal(workload.workload.describe, '3 recorded instances from traffic.jsonl, 2 per request, in file order');
    assert.equal(readRecordedWorkload('missing.jsonl', () => { throw new Error('ENOENT: no such file'); }).ok, false);
  });
});

describe('generated tensor inputs', () => {
  test('every input at its warm-up shape and element type, seeded', () => {
    const model = {
      inputs: [
        { name: 'x', dtype: 'float32' as const, shape: [2, null] },
        { name: 'ids', dtype: 'int64' as const, shape: [4] },
        { name: 'flag', dtype: 'bool' as const, shape: [] },
      ],
      warmUpShapes: { x: [2, 3] },
    };
    const make = (seed: number) => workloadFor({ kind: 'tensor', tensor: model }, { random: uniformSource(seed) });
    const one = make(3);
    assert.ok(one.ok);
    const body = one.workload.bodies();
    const [instance] = (JSON.parse(body) as { instances: { x: number[][]; ids: number[]; flag: boolean }[] }).instances;
    assert.equal(instance?.x.length, 2);
    assert.equal(instance?.x[0]?.length, 3);
    assert.ok(instance!.x.flat().every((v) => v >= -1 && v < 1));
    assert.ok(instance!.ids.length === 4 && instance!.ids.every((v) => Number.isInteger(v) && v >= 0 && v < 100));
    assert.equal(typeof instance?.flag, 'boolean');
    const again = make(3);
    assert.ok(again.ok);
    assert.equal(again.workload.bodies(), body, 'the same seed gives the same bodies');
    assert.match(one.workload.describe, /^random tensors \(x float32 \[2, 3\]; ids int64 \[4\]; flag bool \[\]\)/);
    const parsed = instanceParser({ ...manifest, inputs: model.inputs, warmUpShapes: model.warmUpShapes }, undefined).parse(instance);
    assert.ok(parsed.ok, 'the server takes what the generator makes');
  });
});
