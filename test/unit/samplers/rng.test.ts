import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { haltonPoints } from '../../../src/random/halton.ts';
import { createRng } from '../../../src/random/rng.ts';

describe('seeded random numbers', () => {
  test('the same seed gives the same stream; another seed another', () => {
    const draw = (seed: number) => { const rng = createRng(seed); return Array.from({ length: 5 }, () => rng.next()); };
    assert.deepEqual(draw(1), draw(1));
    assert.notDeepEqual(draw(1), draw(2));
  });

  test('fork depends on the label and seed only, not on draws made before', () => {
    const a = createRng(9);
    const b = createRng(9);
    b.next();
    b.normal();
    assert.equal(a.fork('trial-3').next(), b.fork('trial-3').next());
    assert.notEqual(a.fork('trial-3').next(), a.fork('trial-4').next());
  });

  test('uniforms, integers and normals have the right ranges and moments', () => {
    const rng = createRng(4);
    const uniforms = Array.from({ length: 20000 }, () => rng.next());
    assert.ok(uniforms.every((u) => u >= 0 && u < 1));
    assert.ok(Math.abs(uniforms.reduce((s, u) => s + u, 0) / uniforms.length - 0.5) < 0.01);
    const ints = Array.from({ length: 5000 }, () => rng.int(-2, 2));
    assert.deepEqual(new Set(ints), new Set([-2, -1, 0, 1, 2]));
    const normals = Array.from({ length: 20000 }, () => rng.normal());
    const mean = normals.reduce((s, v) => s + v, 0) / normals.length;
    const variance = normals.reduce((s, v) => s + (v - mean) ** 2, 0) / normals.length;
    assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.05, `mean ${mean}, variance ${variance}`);
  });

  test('Halton points fill the cube more evenly than their count would by chance', () => {
    const points = haltonPoints(64, 2, createRng(1));
    const cells = new Set(points.map(([x, y]) => `${Math.floor(x! * 8)},${Math.floor(y! * 8)}`));
    assert.ok(cells.size >= 50, `${cells.size} of 64 cells`); // independent uniforms hit about 40
  });
});
