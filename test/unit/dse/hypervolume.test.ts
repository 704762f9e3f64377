import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { hypervolume, hypervolumeAfterEach, kneeIndex, nonDominated, referencePoint } from '../../../src/dse/hypervolume.ts';

/** Integer points up to an integer reference dominate whole unit cells: count the cells some point is below. */
function cellCount(points: readonly number[][], reference: readonly number[]): number {
  const cells: number[][] = [[]];
  for (const bound of reference) cells.splice(0, cells.length, ...cells.flatMap((cell) => Array.from({ length: bound }, (_, v) => [...cell, v])));
  return cells.filter((cell) => points.some((p) => p.every((v, k) => v <= (cell[k] as number)))).length;
}

describe('hypervolume', () => {
  test('a 2-D staircase: (1,3), (2,2), (3,1) up to (4,4) covers 6', () => {
    assert.equal(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]), 6);
  });

  test('dominated points, duplicates and points beyond the reference add nothing', () => {
    assert.equal(hypervolume([[3, 1], [2.5, 2.5], [1, 3], [2, 2], [2, 2], [5, 0], [0, 4]], [4, 4]), 6);
    assert.equal(hypervolume([], [4, 4]), 0);
  });

  test('3-D: one box, two overlapping boxes, three unit-axis points', () => {
    assert.equal(hypervolume([[1, 1, 1]], [2, 2, 2]), 1);
    // Boxes of 2·2·1 and 1·1·2 sharing the unit cube [1,2]³: 4 + 2 − 1.
    assert.equal(hypervolume([[0, 0, 1], [1, 1, 0]], [2, 2, 2]), 5);
    // Inclusion–exclusion: 3 · 4 − 3 · 2 + 1; all of [0,2]³ but the cube [0,1]³ nobody dominates.
    assert.equal(hypervolume([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [2, 2, 2]), 7);
  });

  test('matches counting unit cells on random integer points, in 2-D and 3-D', () => {
    const points = (dimensions: number) => fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: dimensions, maxLength: dimensions }), { maxLength: 12 });
    fc.assert(fc.property(points(2), (p) => hypervolume(p, [6, 6]) === cellCount(p, [6, 6])), { numRuns: 200 });
    fc.assert(fc.property(points(3), (p) => hypervolume(p, [6, 6, 6]) === cellCount(p, [6, 6, 6])), { numRuns: 200 });
  });

  test('other dimensions are refused', () => {
    assert.throws(() => hypervolume([[1, 1, 1, 1]], [2, 2, 2, 2]), RangeError);
  });

  test('after each trial: unchanged by a failure, growing with every point that extends the front', () => {
    assert.deepEqual(hypervolumeAfterEach([[3, 1], undefined, [1, 3], [2, 2], [3, 3]], [4, 4]), [3, 3, 5, 6, 6]);
  });

  test('the non-dominated front keeps input order', () => {
    assert.deepEqual(nonDominated([[3, 1], [2.5, 2.5], [1, 3], [2, 2]]), [[3, 1], [1, 3], [2, 2]]);
  });
});

describe('reference point and knee', () => {
  test('the reference is 1.1 × the worst value of each objective', () => {
    const reference = referencePoint([[10, 2], [20, 1]])!;
    assert.ok(Math.abs(reference[0]! - 22) < 1e-12 && Math.abs(reference[1]! - 2.2) < 1e-12, String(reference));
    assert.equal(referencePoint([]), undefined);
  });

  test('the knee is the point farthest towards the ideal from the line through the extremes', () => {
    // Scaled to [0,1]: (0,1), (0.1,0.3), (0.5,0.1), (1,0); 1 − x − y is 0, 0.6, 0.4, 0.
    assert.equal(kneeIndex([[0, 10], [1, 3], [5, 1], [10, 0]]), 1);
    assert.equal(kneeIndex([[10, 0], [5, 1], [1, 3], [0, 10]]), 2, 'any order');
  });

  test('no knee on a straight front, under three points, or in 3-D', () => {
    assert.equal(kneeIndex([[0, 2], [1, 1], [2, 0]]), undefined);
    assert.equal(kneeIndex([[0, 2], [2, 0]]), undefined);
    assert.equal(kneeIndex([[0, 2, 1], [1, 1, 1], [2, 0, 1]]), undefined);
  });
});
