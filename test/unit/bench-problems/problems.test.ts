import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROBLEMS, type Problem } from '../../../bench/optimizers/problems.ts';
import { createRng } from '../../../src/random/rng.ts';
import type { Params } from '../../../src/space/params.ts';

const problem = (name: string): Problem => PROBLEMS.find((p) => p.name === name) ?? assert.fail(`no problem ${name}`);

/** Pattern search over x4..x6 in [0, 1]^3 from `start`, the integers held. */
function refine(truth: (p: Params) => number, ints: number[], start: number[]): number {
  const at = (y: number[]) => truth({ x1: ints[0]!, x2: ints[1]!, x3: ints[2]!, x4: y[0]!, x5: y[1]!, x6: y[2]! });
  let [y, value] = [start, at(start)];
  for (let step = 0.05; step > 1e-7; ) {
    const moves = [0, 1, 2].flatMap((d) => [step, -step].map((delta) => y.map((v, i) => (i === d ? Math.min(1, Math.max(0, v + delta)) : v))));
    const better = moves.map((z) => ({ z, v: at(z) })).find(({ v }) => v < value);
    if (better) [y, value] = [better.z, better.v];
    else step /= 2;
  }
  return value;
}

describe('benchmark problems', () => {
  test('mixed 6-D: the stated optimum is the best over the integer grid', () => {
    const mixed = problem('mixed 6-D (3 int)');
    const truth = (p: Params) => mixed.truth(p) as number;
    // Each Hartmann term is a bump centred on a row of P: every local minimum over x4..x6 is near one of them.
    const centres = [[0.0124, 0.8283, 0.5886], [0.3736, 0.1004, 0.9991], [0.2883, 0.3047, 0.665], [0.5743, 0.1091, 0.0381]];
    let best = Infinity;
    for (let i = 0; i < 11 ** 3; i++) {
      const ints = [Math.floor(i / 121), Math.floor(i / 11) % 11, i % 11];
      for (const centre of centres) best = Math.min(best, refine(truth, ints, centre));
    }
    assert.ok(Math.abs(best - mixed.optimum) < 1e-6, `grid optimum ${best}, stated ${mixed.optimum}`);
    assert.ok(Math.abs(truth({ x1: 2, x2: 2, x3: 5, x4: 0.27434, x5: 0.312, x6: 0.65783 }) - mixed.optimum) < 1e-6);
  });

  test('noisy Hartmann-6 measures its truth plus noise of sd 0.1; its truth is Hartmann-6', () => {
    const [noisy, clean] = [problem('hartmann6 + noise sd 0.1'), problem('hartmann6 (6-D)')];
    assert.equal(noisy.noisy, true);
    const optimum = { x1: 0.20169, x2: 0.150011, x3: 0.476874, x4: 0.275332, x5: 0.311652, x6: 0.6573 };
    assert.ok(Math.abs((noisy.truth(optimum) as number) - noisy.optimum) < 1e-4);
    const rng = createRng(1);
    const errors = Array.from({ length: 2000 }, () => (noisy.measure(optimum, rng) as number) - (clean.truth(optimum) as number));
    const sd = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
    assert.ok(Math.abs(sd - 0.1) < 0.01, `noise sd ${sd}`);
  });
});
