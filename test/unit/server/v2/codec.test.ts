import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { ModelManifest } from '../../../../src/models/manifest.ts';
import { ERROR_STATUS } from '../../../../src/server/api-error.ts';
import { decodeInferRequest, encodeInferRequest, encodeInferResponse, modelMetadata, readInferRequest } from '../../../../src/server/v2/codec.ts';

interface KindFixture {
  manifest: ModelManifest;
  servedName: string;
  metadata: unknown;
  request: { id?: string; outputs?: { name: string }[] };
  instances: unknown[];
  predictions: unknown[];
  response: unknown;
  [more: string]: unknown;
}

const KINDS = ['classifier-image', 'classifier-text', 'translator', 'tensor'] as const;

function fixture<T = KindFixture>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/v2/${name}.json`, import.meta.url), 'utf8')) as T;
}

describe('V2 codecs against the protocol fixtures', () => {
  for (const kind of KINDS) {
    const f = fixture(kind);

    test(`${kind}: model metadata names its tensors, -1 for the batch and dynamic dims`, () => {
      assert.deepEqual(modelMetadata(f.manifest, f.servedName), f.metadata);
    });

    test(`${kind}: a request splits on the first dimension into the kind's V1 instances`, () => {
      const read = readInferRequest(f.manifest, f.request);
      assert.ok(read.ok, read.ok ? '' : read.error.message);
      assert.deepEqual(read.value.instances, f.instances);
      assert.equal(read.value.id, f.request.id);
      assert.deepEqual(read.value.outputs, f.request.outputs?.map((o) => o.name));
    });

    test(`${kind}: predictions are gathered back into the response's tensors`, () => {
      const read = readInferRequest(f.manifest, f.request);
      assert.ok(read.ok);
      const encoded = encodeInferResponse(f.manifest, f.predictions, read.value.id, { modelName: f.servedName, ...(read.value.outputs && { outputs: read.value.outputs }) });
      assert.ok(encoded.ok, encoded.ok ? '' : encoded.error.message);
      assert.deepEqual(encoded.value, f.response);
    });

    test(`${kind}: the load generator's request from the instances decodes to the same instances`, () => {
      const body = JSON.parse(JSON.stringify(encodeInferRequest(f.manifest, f.instances))) as unknown;
      const decoded = decodeInferRequest(f.manifest, body);
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
      assert.deepEqual(decoded.value, f.instances);
    });
  }

  test('nested data is read as the flat row-major data it spells', () => {
    const f = fixture('classifier-image');
    const decoded = decodeInferRequest(f.manifest, f.nestedRequest);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
    assert.deepEqual(decoded.value, f.instances);
  });

  test('token ids with an attention mask drop the padded positions', () => {
    const f = fixture('classifier-text');
    const decoded = decodeInferRequest(f.manifest, f.idsRequest);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
    assert.deepEqual(decoded.value, f.idsInstances);
  });

  test('token-id instances become one padded input_ids tensor and its mask', () => {
    const f = fixture('classifier-text');
    const body = encodeInferRequest(f.manifest, f.idsInstances as unknown[]);
    assert.deepEqual(body.inputs.map((t) => [t.name, t.shape]), [['input_ids', [2, 4]], ['attention_mask', [2, 4]]]);
    assert.deepEqual(body.inputs[0]!.data, [101, 2054, 102, 0, 101, 2307, 2154, 102]);
    assert.deepEqual(body.inputs[1]!.data, [1, 1, 1, 0, 1, 1, 1, 1]);
  });

  test('instances that cannot share one request are refused by the request encoder', () => {
    const f = fixture('classifier-text');
    assert.throws(() => encodeInferRequest(f.manifest, [{ text: 'a' }, { input_ids: [101, 102] }]), /all be/);
  });

  test('only the outputs asked for are answered, in the model order', () => {
    const f = fixture('classifier-image');
    const encoded = encodeInferResponse(f.manifest, f.predictions, undefined, { outputs: ['label'] });
    assert.ok(encoded.ok);
    assert.deepEqual(encoded.value.outputs.map((o) => o.name), ['label']);
    assert.equal(encoded.value.id, undefined);
    assert.equal(encoded.value.model_name, 'tiny');
  });

  test('tensor outputs whose item shapes differ within a request cannot be one tensor', () => {
    const f = fixture('tensor');
    const encoded = encodeInferResponse(f.manifest, [{ y: [1, 2], count: 1 }, { y: [1, 2, 3], count: 1 }]);
    assert.ok(!encoded.ok);
    assert.equal(encoded.error.code, 'internal');
  });

  const invalid = fixture<{ cases: { case: string; model: (typeof KINDS)[number]; body: unknown; code: string }[] }>('invalid-requests');
  for (const c of invalid.cases) {
    test(`refuses ${c.case}: ${c.code} (${ERROR_STATUS[c.code as keyof typeof ERROR_STATUS]})`, () => {
      const read = readInferRequest(fixture(c.model).manifest, c.body);
      assert.ok(!read.ok, `accepted: ${JSON.stringify(c.body)}`);
      assert.equal(read.error.code, c.code, read.error.message);
      assert.equal(ERROR_STATUS[read.error.code], 400);
      assert.doesNotMatch(read.error.message, /\n/);
    });
  }
});
