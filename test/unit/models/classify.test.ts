import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyGraph, type TensorInfo } from '../../../src/models/classify.ts';
import { parseInputShape } from '../../../src/models/tensor-spec.ts';
import { translatorSizes } from '../../../src/models/user-optimum.ts';

const t = (name: string, type: string, shape: (number | string)[]): TensorInfo => ({ name, type, shape });
const logits = [t('logits', 'float32', ['batch', 10])];

describe('classifyGraph', () => {
  test('one NHWC float input of 4 dims is an image classifier', () => {
    const result = classifyGraph('/m.onnx', [t('input_1', 'float32', ['N', 224, 224, 3])], [t('probs', 'float32', ['N', 1000])]);
    assert.deepEqual(result, { ok: true, value: { kind: 'classifier-image', inputName: 'input_1', outputName: 'probs', instanceShape: [224, 224, 3] } });
  });

  test('int64 input_ids with companions is a text classifier; the logits output is preferred', () => {
    const inputs = [t('input_ids', 'int64', ['b', 's']), t('attention_mask', 'int64', ['b', 's']), t('token_type_ids', 'int64', ['b', 's'])];
    const result = classifyGraph('/m.onnx', inputs, [t('hidden', 'float32', ['b', 768]), ...logits]);
    assert.deepEqual(result, { ok: true, value: { kind: 'classifier-text', inputNames: ['input_ids', 'attention_mask', 'token_type_ids'], outputName: 'logits' } });
  });

  test('a BERT-style graph with extra inputs, an NCHW image, dynamic image dims and several inputs are tensor models', () => {
    const cases: [TensorInfo[], string][] = [
      [[t('input_ids', 'int64', ['b', 16]), t('pixel_values', 'float32', ['b', 3])], 'input_ids,pixel_values'],
      [[t('x', 'float32', ['b', 3, 224, 224])], 'x'],
      [[t('x', 'float32', ['b', 32, 32, 3]), t('y', 'float32', ['b', 4])], 'x,y'],
      [[t('ids', 'int32', ['b', 12])], 'ids'],
    ];
    for (const [inputs, names] of cases) {
      const result = classifyGraph('/m.onnx', inputs, logits);
      assert.equal(result.ok && result.value.kind, 'tensor', names);
      if (result.ok && result.value.kind === 'tensor') assert.equal(result.value.inputs.map((i) => i.name).join(','), names);
    }
  });

  test("PaddleOCR's classifier and recognizer are tensor models once their dynamic dims are given", () => {
    const cls = [t('x', 'float32', ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'])];
    const clsOut = [t('softmax_0.tmp_0', 'float32', ['p2o.DynamicDimension.3', 2])];
    assert.deepEqual(classifyGraph('/a/ocr_cls.onnx', cls, clsOut, { given: { x: [3, 48, 192] } }), {
      ok: true,
      value: { kind: 'tensor', inputs: [{ name: 'x', dtype: 'float32', shape: [3, 48, 192] }], outputs: [{ name: 'softmax_0.tmp_0', dtype: 'float32', shape: [2] }] },
    });
    const rec = [t('x', 'float32', ['p2o.DynamicDimension.0', 3, 48, 'p2o.DynamicDimension.1'])];
    const recOut = [t('softmax_11.tmp_0', 'float32', ['p2o.DynamicDimension.2', 'p2o.DynamicDimension.3', 6625])];
    const fromSamples = classifyGraph('/a/ocr_rec.onnx', rec, recOut, { samples: [{ x: [3, 48, 64] }, { x: [3, 48, 96] }] });
    assert.deepEqual(fromSamples, {
      ok: true,
      value: {
        kind: 'tensor',
        inputs: [{ name: 'x', dtype: 'float32', shape: [3, 48, null] }],
        outputs: [{ name: 'softmax_11.tmp_0', dtype: 'float32', shape: [null, 6625] }],
        warmUpShapes: { x: [3, 48, 64] },
      },
    }, 'a width that varies stays dynamic and warms up at the first sample\'s');
    const agreed = classifyGraph('/a/ocr_rec.onnx', rec, recOut, { samples: [{ x: [3, 48, 80] }, { x: [3, 48, 80] }] });
    assert.deepEqual(agreed.ok && agreed.value.kind === 'tensor' && agreed.value.inputs[0]?.shape, [3, 48, 80], 'a dim every sample agrees on is fixed');
  });

  test('--input-shape asks for tensors even for a graph that looks like a text classifier', () => {
    const result = classifyGraph('/m.onnx', [t('input_ids', 'int64', ['b', 's'])], logits, { given: { input_ids: [16] } });
    assert.deepEqual(result.ok && result.value.kind === 'tensor' && result.value.inputs, [{ name: 'input_ids', dtype: 'int64', shape: [16] }]);
  });

  test('a graph whose batch is fixed at 1 runs unbatched; one of several inputs with a dynamic batch does not matter', () => {
    const result = classifyGraph('/m.onnx', [t('a', 'float32', [1, 4]), t('b', 'bool', ['n', 2])], logits);
    assert.equal(result.ok && result.value.kind === 'tensor' && result.value.unbatched, true);
  });

  test('refusals are one line naming the input and what fixes it', () => {
    const cases: [TensorInfo[], TensorInfo[], object, string][] = [
      [[t('x', 'float32', ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'])], logits, {},
        'model ocr_cls.onnx input "x" float32 [N, 3, H, W] has dynamic dims H, W: give them with --input-shape x=3x224x224 or pass --workload FILE'],
      [[t('ids', 'int64', ['batch', 'seq'])], logits, {}, 'model ocr_cls.onnx input "ids" int64 [batch, seq] has dynamic dims seq: give them with --input-shape ids=64 or pass --workload FILE'],
      [[t('x', 'float32', ['b', 3, 'h', 'w'])], logits, { samples: [{ x: [27648] }] },
        'model ocr_cls.onnx input "x" float32 [b, 3, h, w] has dynamic dims h, w: give them with --input-shape x=3x64x64 (the workload\'s samples of it are [27648], not [3, h, w])'],
      [[t('x', 'float64', ['b', 3])], logits, {}, 'model ocr_cls.onnx input "x" float64 [b, 3]: tune serves float32, float16, int64, int32, int8, uint8, bool tensors; add a Cast after that input in the graph'],
      [[t('x', 'non-tensor', [])], logits, {}, 'model ocr_cls.onnx input "x" is a sequence or map, not a tensor: tune serves float32, float16, int64, int32, int8, uint8, bool tensors only'],
      [[t('x', 'float32', [8, 3])], logits, {}, 'model ocr_cls.onnx input "x" float32 [8, 3] has a fixed batch of 8: tune batches on the first dim; export the graph with a dynamic (or 1) first dim'],
      [[t('x', 'float32', [])], logits, {}, 'model ocr_cls.onnx input "x" float32 [] has no batch dim: tune batches on the first dim; export the graph with a dynamic first dim'],
      [[t('x', 'float32', ['n', 3])], [t('y', 'string', ['n'])], {}, 'model ocr_cls.onnx output "y" string [n]: tune serves float32, float16, int64, int32, int8, uint8, bool tensors; add a Cast before that output in the graph'],
      [[t('x', 'float32', ['n', 3, 'h', 'w'])], logits, { given: { x: [3, 48] } }, '--input-shape x=3x48: model ocr_cls.onnx input "x" float32 [n, 3, h, w] has 3 dims after the batch: give x=3xhxw'],
      [[t('x', 'float32', ['n', 3, 'h', 'w'])], logits, { given: { x: [1, 48, 192] } }, '--input-shape x=1x48x192: model ocr_cls.onnx input "x" float32 [n, 3, h, w] fixes item dim 1 at 3: give x=3xhxw'],
      [[t('x', 'float32', ['n', 3])], logits, { given: { y: [3] } }, '--input-shape y=…: model ocr_cls.onnx has no input "y"; its inputs: x float32 [n, 3]'],
    ];
    for (const [inputs, outputs, hints, message] of cases) {
      const result = classifyGraph('/models/ocr_cls.onnx', inputs, outputs, hints);
      assert.deepEqual(result, { ok: false, error: { code: 'model-mismatch', message } });
    }
  });
});

describe('parseInputShape', () => {
  test('NAME=DxDxD is one item\'s dims; the name may hold "="', () => {
    assert.deepEqual(parseInputShape('x=3x48x192'), { ok: true, name: 'x', dims: [3, 48, 192] });
    assert.deepEqual(parseInputShape('a=b=7'), { ok: true, name: 'a=b', dims: [7] });
  });

  test('anything else is refused with an example', () => {
    for (const text of ['x', '=3x4', 'x=', 'x=3x0', 'x=3xWx4', 'x=-1', 'x=3.5']) {
      const parsed = parseInputShape(text);
      assert.deepEqual(parsed, { ok: false, message: `--input-shape ${text}: give NAME=DIMSxDIMS…, one item's dims without the batch, e.g. x=3x48x192` }, text);
    }
  });
});

describe('translatorSizes', () => {
  const withPast = {
    inputs: [t('past_key_values.0.decoder.key', 'float32', ['b', 4, 'p', 32]), t('past_key_values.1.decoder.key', 'float32', ['b', 4, 'p', 32])],
    outputs: [t('logits', 'float32', ['b', 1, 999])],
  };

  test('config.json wins over the graph', () => {
    const config = { d_model: 256, decoder_layers: 3, decoder_attention_heads: 8, vocab_size: 1000, eos_token_id: 2, pad_token_id: 1, decoder_start_token_id: 5 };
    assert.deepEqual(translatorSizes(config, withPast, undefined), { layers: 3, heads: 8, dModel: 256, vocabSize: 1000, padId: 5, eosId: 2, maxSourceTokens: 512 });
  });

  test('without config.json the graph shapes and Marian conventions fill in', () => {
    assert.deepEqual(translatorSizes({}, withPast, undefined), { layers: 2, heads: 4, dModel: 128, vocabSize: 999, padId: 998, eosId: 0, maxSourceTokens: 512 });
  });

  test('a size that nothing gives is named', () => {
    const symbolic = { inputs: [t('past_key_values.0.decoder.key', 'float32', ['b', 'h', 'p', 'd'])], outputs: [] };
    assert.equal(translatorSizes({}, symbolic, undefined), 'attention head count');
  });
});
