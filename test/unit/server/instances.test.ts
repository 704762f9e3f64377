import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Outcome } from '../../../src/server/api-error.ts';
import { decodeLimit } from '../../../src/server/runners/decode-length.ts';
import { parseImage } from '../../../src/server/runners/image-instance.ts';
import { padBatch } from '../../../src/server/runners/padding.ts';
import { parseTokens } from '../../../src/server/runners/token-instance.ts';

function codeOf(outcome: Outcome<unknown>): string {
  return outcome.ok ? 'ok' : outcome.error.code;
}

describe('parseImage', () => {
  const shape = [2, 2, 3] as const;
  const flat = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0.25];

  test('reads flat and nested [H][W][C] images into the same NHWC data', () => {
    const nested = [[flat.slice(0, 3), flat.slice(3, 6)], [flat.slice(6, 9), flat.slice(9, 12)]];
    const a = parseImage(flat, shape);
    const b = parseImage(nested, shape);
    assert.ok(a.ok && b.ok);
    assert.deepEqual(Array.from(a.value), Array.from(new Float32Array(flat)));
    assert.deepEqual(b.value, a.value);
  });

  test('names the shape and type problems', () => {
    assert.equal(codeOf(parseImage('img', shape)), 'wrong_type');
    assert.equal(codeOf(parseImage(flat.slice(1), shape)), 'wrong_shape');
    assert.equal(codeOf(parseImage([[flat.slice(0, 3)], [flat.slice(6, 9), flat.slice(9, 12)]], shape)), 'wrong_shape');
    assert.equal(codeOf(parseImage([[flat.slice(0, 2), flat.slice(3, 6)], [flat.slice(6, 9), flat.slice(9, 12)]], shape)), 'wrong_shape');
    assert.equal(codeOf(parseImage(flat.map((v, i) => (i === 4 ? '0.4' : v)), shape)), 'wrong_type');
    assert.equal(codeOf(parseImage([[[0, 0, 0], [0, 0, [0]]], [[0, 0, 0], [0, 0, 0]]], shape)), 'wrong_type');
  });
});

describe('parseTokens', () => {
  const limits = { maxTokens: 5, vocabSize: 100, tokenize: (text: string) => [...text].map((ch) => ch.charCodeAt(0) % 100).concat([0]) };

  test('tokenizes text and passes input_ids through', () => {
    assert.deepEqual(parseTokens({ text: 'ab' }, limits), { ok: true, value: [97, 98, 0] });
    assert.deepEqual(parseTokens({ input_ids: [5, 6, 7] }, limits), { ok: true, value: [5, 6, 7] });
  });

  test('refuses too long sequences with text_too_long', () => {
    assert.equal(codeOf(parseTokens({ text: 'abcdef' }, limits)), 'text_too_long');
    assert.equal(codeOf(parseTokens({ input_ids: [1, 2, 3, 4, 5, 6] }, limits)), 'text_too_long');
    assert.equal(codeOf(parseTokens({ text: 'x'.repeat(10_000) }, { ...limits, tokenize: () => assert.fail('must not tokenize huge text') })), 'text_too_long');
  });

  test('refuses malformed instances', () => {
    assert.equal(codeOf(parseTokens('hello', limits)), 'wrong_type');
    assert.equal(codeOf(parseTokens({ txt: 'hello' }, limits)), 'bad_instances');
    assert.equal(codeOf(parseTokens({ text: 42 }, limits)), 'wrong_type');
    assert.equal(codeOf(parseTokens({ text: '' }, limits)), 'bad_instances');
    assert.equal(codeOf(parseTokens({ input_ids: [1, 100] }, limits)), 'wrong_type');
    assert.equal(codeOf(parseTokens({ input_ids: [1, 2.5] }, limits)), 'wrong_type');
    assert.equal(codeOf(parseTokens({ input_ids: [] }, limits)), 'bad_instances');
    assert.equal(codeOf(parseTokens({ text: 'hi' }, { ...limits, tokenize: undefined })), 'bad_instances');
  });
});

describe('padBatch', () => {
  test('pads to the longest sequence with the pad id and a zero mask', () => {
    const padded = padBatch([[1, 2, 3], [4]], 9);
    assert.equal(padded.length, 3);
    assert.deepEqual(Array.from(padded.ids), [1n, 2n, 3n, 4n, 9n, 9n]);
    assert.deepEqual(Array.from(padded.mask), [1n, 1n, 1n, 1n, 0n, 0n]);
  });
});

describe('decodeLimit', () => {
  test('synthetic models decode ceil(ratio × source) + 1 tokens; real ones are only capped', () => {
    assert.equal(decodeLimit({ synthetic: true, targetLengthRatio: 1.2 }, 10), 13);
    assert.equal(decodeLimit({ synthetic: true, targetLengthRatio: 1 }, 1), 2);
    assert.equal(decodeLimit({ synthetic: false, targetLengthRatio: 1.2 }, 10), 36);
    assert.equal(decodeLimit({ synthetic: false, targetLengthRatio: 1.2 }, 400), 512);
  });
});
