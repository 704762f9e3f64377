/**
 * The tensor kind on the server: its instance parser (pure) and its batch runner over a real ONNX Runtime session
 * of a tiny graph with two inputs of two element types and a dynamic dim.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { TensorManifest } from '../../../src/models/manifest.ts';
import { resolveModel } from '../../../src/models/resolve.ts';
import { fromHalf, toHalf } from '../../../src/models/tensor-dtypes.ts';
import { openRunner } from '../../../src/server/model-loader.ts';
import { parseTensorInstance, zeroTensorItem } from '../../../src/server/runners/tensor-instance.ts';
import { sessionOpener } from '../../../src/server/session.ts';
import { loadTokenizer } from '../../../src/server/tokenizer-loader.ts';
import { writeDynamicTensorModel } from '../models/tiny-models.ts';

const root = mkdtempSync(join(tmpdir(), 'tensor-model-'));
after(() => rmSync(root, { recursive: true, force: true }));

const manifest: Pick<TensorManifest, 'inputs' | 'warmUpShapes'> = {
  inputs: [
    { name: 'x', dtype: 'float32', shape: [2, null] },
    { name: 'scale', dtype: 'int64', shape: [1] },
    { name: 'mask', dtype: 'bool', shape: [2, 2] },
  ],
  warmUpShapes: { x: [2, 3] },
};

describe('parseTensorInstance', () => {
  test('nested arrays take their dynamic dims from the instance; a fully fixed input may come flat', () => {
    const parsed = parseTensorInstance({ x: [[1, 2, 3], [4, 5, 6]], scale: [7], mask: [true, 0, 1, false] }, manifest);
    assert.ok(parsed.ok);
    const [x, scale, mask] = parsed.value.inputs;
    assert.deepEqual([...x!.data], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(x!.shape, [2, 3]);
    assert.deepEqual([...scale!.data], [7n]);
    assert.deepEqual([[...mask!.data], mask!.shape], [[1, 0, 1, 0], [2, 2]]);
    assert.equal(parsed.value.key, '2x3;1;2x2');
  });

  test('refusals name the input and the shape or values it takes', () => {
    const good = { x: [[1], [2]], scale: [1], mask: [[true, true], [false, false]] };
    const cases: [unknown, string, string][] = [
      [[1, 2], 'wrong_type', 'a tensor instance must be an object with its inputs "x", "scale", "mask", got array'],
      [{ ...good, extra: 1 }, 'bad_instances', '"extra" is not an input of the model: its inputs are x, scale, mask'],
      [{ x: good.x, scale: good.scale }, 'bad_instances', 'the instance lacks input "mask" (bool [2, 2])'],
      [{ ...good, x: [[1, 2, 3]] }, 'wrong_shape', 'input "x" must be float32 [2, d2] (one item, no batch dim), got [1, 3]'],
      [{ ...good, x: [[1, 2], [3]] }, 'wrong_shape', 'input "x" element [1] must be an array of 2 (the instance is ragged), got 1 elements'],
      [{ ...good, x: [[], []] }, 'wrong_shape', 'input "x" must be float32 [2, d2] (one item, no batch dim), got [2, 0]'],
      [{ ...good, x: [[1], ['a']] }, 'wrong_type', 'input "x" element [1][0] must be a finite number (float32), got string'],
      [{ ...good, scale: [1.5] }, 'wrong_type', 'input "scale" element [0] must be an integer in [-9007199254740991, 9007199254740991] (int64), got 1.5'],
      [{ ...good, mask: [[2, 0], [0, 0]] }, 'wrong_type', 'input "mask" element [0][0] must be true, false, 0 or 1 (bool), got 2'],
    ];
    for (const [instance, code, message] of cases) assert.deepEqual(parseTensorInstance(instance, manifest), { ok: false, error: { code, message } });
  });

  test('the warm-up item is zeros of the fixed shapes, dynamic dims at the warm-up size', () => {
    const item = zeroTensorItem(manifest);
    assert.deepEqual(item.inputs.map((input) => input.shape), [[2, 3], [1], [2, 2]]);
    assert.ok(item.inputs.every((input) => [...input.data].every((v) => v === 0 || v === 0n)));
  });
});

describe('float16 bits', () => {
  test('round to nearest, keep signs, subnormals and infinities', () => {
    for (const value of [0, 1, -2.5, 0.1, 65504, 6.1e-5, 5.96e-8]) assert.ok(Math.abs(fromHalf(toHalf(value)) - value) <= Math.abs(value) * 1e-3, String(value));
    assert.equal(toHalf(1), 0x3c00);
    assert.equal(toHalf(-2), 0xc000);
    assert.equal(fromHalf(toHalf(1e6)), Infinity);
    assert.ok(Number.isNaN(fromHalf(toHalf(Number.NaN))));
  });
});

describe('TensorRunner on a real session', () => {
  const knobs = { intraOpThreads: 1, interOpThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' } as const;

  async function runnerFor(file: string, batch?: number | string) {
    const path = join(root, file);
    writeDynamicTensorModel(path, batch);
    const resolved = await resolveModel(path, { precision: 'fp32', cacheDir: join(root, 'cache'), modelRoot: root, hints: { samples: [{ x: [2, 3] }, { x: [2, 1] }] } });
    assert.ok(resolved.ok, JSON.stringify(resolved));
    return { manifest: resolved.manifest as TensorManifest, runner: await openRunner(resolved.dir, resolved.manifest, { openSession: sessionOpener(knobs), loadTokenizer }) };
  }

  const instance = (x: number[][], scale: number) => ({ x, scale: [scale] });

  test('items of different shapes in one batch each get their own outputs, split back per item', async () => {
    const { manifest: m, runner } = await runnerFor('tiny-tensor.onnx');
    assert.deepEqual([m.inputs[0]?.shape, m.warmUpShapes], [[2, null], { x: [2, 3] }], 'the dynamic width varies across the samples');
    try {
      const instances = [instance([[1, 2, 3], [4, 5, 6]], 2), instance([[1], [2]], 10), instance([[0, 0, 1], [1, 0, 0]], 3)];
      const items = instances.map((i) => {
        const parsed = runner.parse(i);
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
        return parsed.value;
      });
      const predictions = await runner.run(items);
      assert.deepEqual(predictions, [
        { y: [[2, 4, 6], [8, 10, 12]], total: [21] },
        { y: [[10], [20]], total: [3] },
        { y: [[0, 0, 3], [3, 0, 0]], total: [2] },
      ]);
      const warm = (await runner.run([runner.warmUpInstance()])) as { y: number[][] }[];
      assert.deepEqual(warm[0]?.y, [[0, 0, 0], [0, 0, 0]]);
    } finally {
      await runner.close();
    }
  });

  test('a graph whose batch is fixed at 1 runs a batch one item per call', async () => {
    const { manifest: m, runner } = await runnerFor('tiny-tensor-one.onnx', 1);
    assert.equal(m.unbatched, true);
    try {
      const items = [instance([[1], [1]], 1), instance([[2], [2]], 2)].map((i) => {
        const parsed = runner.parse(i);
        assert.ok(parsed.ok);
        return parsed.value;
      });
      assert.deepEqual(await runner.run(items), [{ y: [[1], [1]], total: [2] }, { y: [[4], [4]], total: [4] }]);
    } finally {
      await runner.close();
    }
  });
});
