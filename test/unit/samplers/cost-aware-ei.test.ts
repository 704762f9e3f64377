import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../src/random/rng.ts';
import { costCooling, GpEiSampler } from '../../../src/samplers/gp-ei.ts';
import type { Observation, ProposalCost } from '../../../src/samplers/sampler.ts';
import { parseSearchSpace, unwrapSpace, type Params } from '../../../src/space/index.ts';

const floats = (names: readonly string[], origin: string) => unwrapSpace(parseSearchSpace({ parameters: names.map((name) => ({ name, kind: 'float', low: 0, high: 1 })) }, origin));
const line = floats(['x'], 'line');
const plane = floats(['x', 'y'], 'plane');
const x = (p: Params) => p['x'] as number;

/** Symmetric about x = 0.5, so EI at 0.5 − d and 0.5 + d is the same. */
const symmetric: Observation[] = [[0, 1], [0.5, 0], [1, 1]].map(([at, value]) => ({ params: { x: at as number }, value }));

describe('cost-aware GP-EI', () => {
  test('the cost exponent cools from 1 after the design to 0 at the budget', () => {
    assert.equal(costCooling(5, 25, 5), 1);
    assert.equal(costCooling(15, 25, 5), 0.5);
    assert.equal(costCooling(25, 25, 5), 0);
    assert.equal(costCooling(30, 25, 5), 0, 'past the budget');
    assert.equal(costCooling(2, 25, 5), 1, 'in the design');
    assert.equal(costCooling(5, 5, 5), 0, 'a budget all design');
  });

  test('between two moves of equal EI it takes the cheaper, and at α = 0 plain EI decides', () => {
    for (let k = 0; k < 3; k++) {
      const plain = new GpEiSampler({ initialTrials: 3, budget: 20 }).suggest(line, symmetric, createRng(k));
      // The side plain EI picked costs ten times the other.
      const cost: ProposalCost = { seconds: (p) => (x(p) < 0.5 === x(plain) < 0.5 ? 100 : 10) };
      const aware = new GpEiSampler({ initialTrials: 3, budget: 20 }).suggest(line, symmetric, createRng(k), undefined, cost);
      const report = `plain ${x(plain)}, cost-aware ${x(aware)}`;
      assert.notEqual(x(aware) < 0.5, x(plain) < 0.5, report);
      assert.ok(Math.abs(x(aware) - (1 - x(plain))) < 0.02, `the mirror of plain EI's pick: ${report}`);
      // A budget spent (here: all design) leaves α at 0.
      const cooled = new GpEiSampler({ initialTrials: 3, budget: 3 }).suggest(line, symmetric, createRng(k), undefined, cost);
      assert.deepEqual(cooled, new GpEiSampler({ initialTrials: 3, budget: 3 }).suggest(line, symmetric, createRng(k)));
    }
  });

  test('climbs along the cheap moves from the deployed configuration, which random samples never hit', () => {
    const f = (p: Params) => (x(p) - 0.3) ** 2 + ((p['y'] as number) - 0.5) ** 2;
    const rng = createRng(5);
    const history: Observation[] = Array.from({ length: 6 }, () => ({ x: rng.next(), y: rng.next() })).map((params) => ({ params, value: f(params) }));
    const deployed = { x: 0.9, y: 0.5 };
    history.push({ params: deployed, value: f(deployed) });
    // Only x changes in place: any move of y costs a hundred times more.
    const seconds = (p: Params) => (p['y'] === deployed.y ? 1 : 100);
    const sampler = new GpEiSampler({ initialTrials: 5, budget: 30 });
    for (let k = 0; k < 3; k++) {
      const aware = sampler.suggest(plane, history, createRng(k), undefined, { seconds, deployed });
      assert.equal(aware['y'], deployed.y, JSON.stringify(aware));
      assert.ok(x(aware) < 0.5, `far along x, towards the better trials: ${JSON.stringify(aware)}`);
      const unanchored = sampler.suggest(plane, history, createRng(k), undefined, { seconds });
      assert.notEqual(unanchored['y'], deployed.y, JSON.stringify(unanchored));
    }
  });

  test('without a cost, proposals are the same as before cost-awareness', () => {
    const space = unwrapSpace(
      parseSearchSpace(
        {
          parameters: [
            { name: 'x', kind: 'float', low: 0, high: 1 },
            { name: 'n', kind: 'int', low: 1, high: 4 },
            { name: 'c', kind: 'categorical', choices: ['a', 'b'] },
          ],
        },
        'golden',
      ),
    );
    const rng = createRng(7);
    const history: Observation[] = Array.from({ length: 8 }, () => {
      const params = { x: rng.next(), n: 1 + Math.floor(4 * rng.next()), c: rng.next() < 0.5 ? 'a' : 'b' };
      return { params, value: (params.x - 0.3) ** 2 + 0.1 * (params.n - 3) ** 2 + (params.c === 'a' ? 0 : 0.2) };
    });
    // Recorded from the sampler before `cost` existed.
    const before = [
      { x: 0.30392430359622313, n: 1, c: 'a' },
      { x: 0.30282760842653184, n: 1, c: 'a' },
      { x: 0.30346819137642006, n: 1, c: 'a' },
    ];
    const sampler = new GpEiSampler({ initialTrials: 4, seed: 1 });
    assert.deepEqual([0, 1, 2].map((k) => sampler.suggest(space, history, createRng(k))), before);
  });
});
