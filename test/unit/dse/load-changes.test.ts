import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { levelPickLines, loadChangeLines, loadChanges, picksAcrossLoadPlot, type LevelPick, type PredictAtLoad } from '../../../src/dse/load-changes.ts';
import { sweepPlan } from '../../../src/dse/sweep.ts';
import { renderSvg } from '../../../src/report/render.ts';

const pick = (concurrency: number, replicas: number, batch: number, measured = 10): LevelPick => ({
  concurrency,
  studyId: `gan-bo-c${concurrency}`,
  trial: 3,
  params: { replicas, max_batch_size: batch },
  measured,
  estimate: measured - 1,
});

/** One replica costs 2 ms per log2 client, two replicas a flat 8 ms: they cross at 16 clients. */
const predict: PredictAtLoad = (points) => points.map(({ params, concurrency }) => (params['replicas'] === 1 ? 2 * Math.log2(concurrency) : 8));

describe('where the best configuration changes with load', () => {
  test('a change between consecutive levels whose picks differ, naming what changed', () => {
    const changes = loadChanges([pick(64, 2, 8), pick(1, 1, 8), pick(4, 1, 8)]);
    assert.deepEqual(changes, [{ below: 4, above: 64, before: { replicas: 1, max_batch_size: 8 }, after: { replicas: 2, max_batch_size: 8 }, changed: ['replicas'] }]);
    assert.deepEqual(loadChangeLines(changes, [pick(1, 1, 8), pick(4, 1, 8), pick(64, 2, 8)]), ['the best configuration changes between concurrency 4 and 64: replicas 1 → 2']);
  });

  test("the shared model's crossover: where the higher level's pick becomes the better, between the levels", () => {
    const [change] = loadChanges([pick(4, 1, 8), pick(64, 2, 8)], predict);
    assert.ok(change?.crossover !== undefined && Math.abs(change.crossover - 16) < 0.01, `crossover ${change?.crossover}`);
    assert.match(loadChangeLines([change!], [pick(4, 1, 8), pick(64, 2, 8)])[0]!, /between concurrency 4 and 64 \(the model's crossover: about 16\): replicas 1 → 2$/);
  });

  test('no crossover when the model does not rank the picks as the levels picked them', () => {
    const [change] = loadChanges([pick(32, 1, 8), pick(64, 2, 8)], predict); // one replica is already worse at 32
    assert.equal(change?.crossover, undefined);
  });

  test('the same pick at every level is said once; one level says nothing', () => {
    const same = [pick(1, 1, 8), pick(4, 1, 8)];
    assert.deepEqual(loadChanges(same), []);
    assert.deepEqual(loadChangeLines([], same), ['the best configuration is the same at every level']);
    assert.deepEqual(loadChangeLines([], [pick(1, 1, 8)]), []);
  });

  test('the table has a row per level with the pick, the estimate and the measurement', () => {
    const lines = levelPickLines([pick(1, 1, 8, 12)], 'mean');
    assert.match(lines[0]!, /^concurrency\s+pick\s+estimate\s+measured\s+configuration$/);
    assert.match(lines[1]!, /^1\s+gan-bo-c1 #3\s+11 ms\s+12 ms\s+replicas=1 max_batch_size=8$/);
  });

  test("the plot draws each level's pick across the loads and renders", async () => {
    const [plot] = picksAcrossLoadPlot('gan', [pick(4, 1, 8), pick(64, 2, 8)], predict, 'mean');
    assert.equal(plot?.name, 'gan-sweep-picks');
    assert.match(await renderSvg(plot!.spec), /^<svg/);
  });
});

describe('sweep plan with a shared model', () => {
  test("BO's studies carry their level's context and are named after the sweep's levels; random's stay plain", () => {
    const plan = sweepPlan({ model: 'gan', levels: [8, 2], strategies: ['bo', 'random'], seed: 1, budget: 8, objective: 'mean', sharedModel: true });
    assert.deepEqual(plan, [
      { concurrency: 2, strategy: 'bo', studyId: 'gan-bo-c2-b8-s1-shared-c2-8', context: [0] },
      { concurrency: 2, strategy: 'random', studyId: 'gan-random-c2-b8-s1' },
      { concurrency: 8, strategy: 'bo', studyId: 'gan-bo-c8-b8-s1-shared-c2-8', context: [1] },
      { concurrency: 8, strategy: 'random', studyId: 'gan-random-c8-b8-s1' },
    ]);
  });

  test('one level has nothing to share: its study is a plain one', () => {
    assert.deepEqual(sweepPlan({ model: 'gan', levels: [8], strategies: ['bo'], seed: 1, budget: 8, objective: 'mean', sharedModel: true }), [
      { concurrency: 8, strategy: 'bo', studyId: 'gan-bo-c8-b8-s1' },
    ]);
  });
});
