import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { dominates, paretoFront, paretoHtml, paretoListings, paretoTableLines } from '../../../src/dse/pareto.ts';
import { costedTrial as trial, studyWith } from '../report/fixtures.ts';

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

describe('Pareto-optimal configurations listed', () => {
  const c8 = studyWith({ id: 'bert-c8', model: 'bert', concurrency: 8 }, [trial(50, 120, 10, 1, 1), trial(20, 60, 40, 2, 4), trial(35, 150, 6, 1.5, 2), trial(60, 300, 12, 3, 3)]);
  const c1 = studyWith({ id: 'bert-c1', model: 'bert', concurrency: 1 }, [trial(5, 9, 1, 1, 1)]);

  test('per model and concurrency, for cost and energy, fastest first; dominated trials are left out', () => {
    const listings = paretoListings([c8, c1]);
    assert.deepEqual(listings.map((l) => [l.concurrency, l.axis]), [[8, 'cost'], [8, 'energy'], [1, 'cost'], [1, 'energy']]);
    assert.deepEqual(listings[0]!.front.map((e) => [e.trial, e.latencyMs, e.value]), [[1, 20, 40], [2, 35, 6]]);
    assert.deepEqual(listings[1]!.front.map((e) => [e.trial, e.value]), [[1, 2], [2, 1.5], [0, 1]]);
  });

  test('p99 latency can replace the mean', () => {
    const [cost] = paretoListings([c8], 'p99', ['cost']);
    assert.deepEqual(cost!.front.map((e) => [e.trial, e.latencyMs]), [[1, 60], [0, 120], [2, 150]]);
  });

  test('as text and as an HTML fragment naming each configuration', () => {
    const listings = paretoListings([c8], 'mean', ['cost']);
    const lines = paretoTableLines(listings);
    assert.equal(lines[0], 'Pareto front, mean latency against cost: bert at concurrency 8');
    assert.match(lines[2]!, /^bert-c8\s+#1\s+20\s+40\s+replicas=4/);
    const html = paretoHtml(listings);
    assert.match(html, /<h3>Pareto front, mean latency against cost: bert at concurrency 8<\/h3><table>/);
    assert.equal(html.match(/<tr>/g)?.length, 3);
    assert.match(html, /<td class="num">6<\/td>/);
  });
});
