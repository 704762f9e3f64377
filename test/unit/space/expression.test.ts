import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { holds, namesIn, parseComparison, type Comparison } from '../../../src/space/expression.ts';

function parse(source: string): Comparison {
  const parsed = parseComparison(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.comparison;
}

describe('constraint expressions', () => {
  test('respect precedence, parentheses, unary minus and functions', () => {
    assert.equal(holds(parse('1 + 2 * 3 == 7'), {}), true);
    assert.equal(holds(parse('(1 + 2) * 3 == 9'), {}), true);
    assert.equal(holds(parse('-2 * -3 == 6'), {}), true);
    assert.equal(holds(parse('8 / 2 / 2 == 2'), {}), true);
    assert.equal(holds(parse('max(1, 5, 3) - min(4, 2) == 3'), {}), true);
    assert.equal(holds(parse('ceil(1.25) + floor(1.75) + round(0.5) + abs(-1) == 5'), {}), true);
    assert.equal(holds(parse('1.5e1 > .5'), {}), true);
  });

  test('read named values', () => {
    const rule = parse('replicas * cpus <= host_cores');
    assert.deepEqual(namesIn(rule), ['replicas', 'cpus', 'host_cores']);
    assert.equal(holds(rule, { replicas: 2, cpus: 1, host_cores: 2 }), true);
    assert.equal(holds(rule, { replicas: 2, cpus: 1.25, host_cores: 2 }), false);
    assert.equal(holds(parse('intra_op_threads <= ceil(cpus)'), { intra_op_threads: 2, cpus: 1.25 }), true);
  });

  test('reject what is not arithmetic, and never evaluate code', () => {
    for (const [source, message] of [
      ['process.exit(1) < 1', 'unexpected "." at position 8'],
      ['foo(1) < 2', 'unknown function "foo" (known: ceil, floor, round, abs, min, max)'],
      ['ceil(1, 2) < 2', 'ceil() takes 1 argument(s), got 2'],
      ['(1 + 2 < 3', 'expected ")" but found "<"'],
      ['1 < 2 < 3', 'unexpected "<" after the comparison'],
      ['1 <', 'the expression ends too early'],
      ['a = 1', 'unexpected "=" at position 3'],
    ]) {
      assert.deepEqual(parseComparison(source as string), { ok: false, message }, source);
    }
  });
});
