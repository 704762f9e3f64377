import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyGraph, type TensorInfo } from '../../../src/models/classify.ts';
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

  test('refusals name the problem and list the inputs', () => {
    const cases: [TensorInfo[], RegExp][] = [
      [[t('x', 'float32', ['b', 3, 224, 224])], /takes NCHW images/],
      [[t('x', 'float32', ['b', 'h', 'w', 3])], /without fixed height, width and channels/],
      [[t('x', 'float32', ['b', 20])], /neither an image classifier .* nor a text classifier .*; its inputs: x float32 \[b, 20\]$/],
      [[t('input_ids', 'int64', ['b', 's']), t('pixel_values', 'float32', ['b', 3])], /takes inputs tune cannot fill \(pixel_values\)/],
    ];
    for (const [inputs, pattern] of cases) {
      const result = classifyGraph('/m.onnx', inputs, logits);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error.code, 'model-mismatch');
        assert.match(result.error.message, pattern);
      }
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
