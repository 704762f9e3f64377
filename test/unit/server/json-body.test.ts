import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_JSON_DEPTH, nestingDepth, parseJson } from '../../../src/server/json-body.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('nestingDepth', () => {
  test('counts brackets and braces but not those inside strings', () => {
    assert.equal(nestingDepth('{"a": [[1], {"b": 2}]}'), 3);
    assert.equal(nestingDepth('{"text": "[[[[{{{{"}'), 1);
    assert.equal(nestingDepth('{"text": "a \\" [[[["}'), 1);
    assert.equal(nestingDepth('3'), 0);
  });
});

describe('parseJson', () => {
  test('parses valid UTF-8 JSON', () => {
    assert.deepEqual(parseJson(bytes('{"text": "我们"}')), { ok: true, value: { text: '我们' } });
  });

  test('refuses invalid UTF-8, deep nesting and bad syntax with bad_json', () => {
    const cases = [new Uint8Array([0x22, 0xc3, 0x28, 0x22]), bytes('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)), bytes('{"a":')];
    for (const body of cases) {
      const parsed = parseJson(body);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.equal(parsed.error.code, 'bad_json');
    }
  });

  test('accepts nesting up to the limit', () => {
    const text = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    assert.equal(parseJson(bytes(text)).ok, true);
  });
});
