import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { dominates, paretoFront } from '../../../src/report/pareto.ts';

type P = { x: number; y: number };
const objectives = [(p: P) => p.x, (p: P) => p.y];

describe('paretoFront', () => {
  test('keeps exactly the points no other point beats on both objectives', () => {
    const a = { x: 1, y: 9 }, b = { x: 2, y: 5 }, c = { x: 3, y: 6 }, d = { x: 4, y: 1 }, e = { x: 5, y: 1 };
    assert.deepEqual(paretoFront([c, a, e, b, d], objectives), [a, b, d]);
  });

  test('ties stay on the front together; non-finite points never enter it', () => {
    const a = { x: 1, y: 1 }, twin = { x: 1, y: 1 }, nan = { x: Number.NaN, y: 0 }, inf = { x: 0, y: Number.POSITIVE_INFINITY };
    assert.deepEqual(paretoFront([a, twin, nan, inf], objectives), [a, twin]);
    assert.equal(dominates(a, twin, objectives), false);
  });

  test('property: the front is non-dominated and dominates everything else', () => {
    const point = fc.record({ x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 30 }), (points) => {
        const front = paretoFront(points, objectives);
        for (const f of front) assert.ok(!points.some((p) => dominates(p, f, objectives)));
        for (const p of points.filter((q) => !front.includes(q))) assert.ok(front.some((f) => dominates(f, p, objectives)));
      }),
    );
  });
});
