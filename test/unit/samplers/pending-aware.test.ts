import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GaussianProcess } from '../../../src/gp/gaussian-process.ts';
import { withObservations } from '../../../src/gp/fantasy.ts';
import { createRng } from '../../../src/random/rng.ts';
import { createSampler } from '../../../src/samplers/factory.ts';
import { DEFAULT_PENDING_STRATEGY, GpEiSampler } from '../../../src/samplers/gp-ei.ts';
import { GridSampler } from '../../../src/samplers/grid.ts';
import { LhsSampler } from '../../../src/samplers/lhs.ts';
import { fantasyModel, PENDING_STRATEGIES, type PendingStrategy } from '../../../src/samplers/pending.ts';
import { RandomSampler } from '../../../src/samplers/random.ts';
import { completed, modelInput, outcomeOf, sameContext, type Observation, type Sampler } from '../../../src/samplers/sampler.ts';
import { fitSuccessModel } from '../../../src/samplers/success-model.ts';
import { configurationKey, encode, isFeasible, parseSearchSpace, unwrapSpace, type Params } from '../../../src/space/index.ts';
import { Study } from '../../../src/study/study.ts';

/** Two floats and an integer under a constraint that cuts a corner off the box. */
const space = unwrapSpace(
  parseSearchSpace(
    {
      parameters: [
        { name: 'x', kind: 'float', low: 0, high: 1 },
        { name: 'y', kind: 'float', low: 0, high: 1 },
        { name: 'n', kind: 'int', low: 1, high: 4 },
      ],
      constraints: ['x + y <= 1.4', 'n * x <= 3'],
    },
    'pending',
  ),
);
const num = (p: Params, name: string) => p[name] as number;
const objective = (p: Params) => (num(p, 'x') - 0.3) ** 2 + (num(p, 'y') - 0.6) ** 2 + 0.05 * (num(p, 'n') - 2) ** 2;

/** `count` completed trials at feasible quasi-random configurations (and one failure). */
function measuredHistory(count: number): Observation[] {
  const random = new RandomSampler();
  const history: Observation[] = [];
  for (let i = 0; i < count; i++) {
    const params = random.suggest(space, history, createRng(`history-${i}`));
    history.push({ params, value: objective(params) });
  }
  history.push({ params: { x: 0.95, y: 0.1, n: 3 }, failed: 'oom_killed' });
  return history;
}

/** K successive suggestions, each asked with the previous ones pending (as K workers asking in turn). */
function successive(sampler: Sampler, history: readonly Observation[], k: number, seed = 1): { proposals: Params[]; pending: Observation[] } {
  const pending: Observation[] = [];
  const proposals: Params[] = [];
  for (let i = 0; i < k; i++) {
    const params = sampler.suggest(space, [...history, ...pending], createRng(seed).fork(`ask-${i}`));
    proposals.push(params);
    pending.push({ params });
  }
  return { proposals, pending };
}

function minPairwiseDistance(points: readonly Params[]): number {
  let least = Infinity;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const [a, b] = [encode(space, points[i]!), encode(space, points[j]!)];
      least = Math.min(least, Math.hypot(...a.map((v, d) => v - b[d]!)));
    }
  }
  return least;
}

const key = (p: Params) => configurationKey(space, p);
const history = measuredHistory(14);

describe('GP-EI with trials pending', () => {
  test('four successive asks are distinct, feasible, new and more spread than when pending trials are ignored', () => {
    const aware = successive(new GpEiSampler({ initialTrials: 5, seed: 1 }), history, 4).proposals;
    const unaware = successive(new GpEiSampler({ initialTrials: 5, seed: 1, pending: 'ignore' }), history, 4).proposals;
    const report = `aware ${JSON.stringify(aware)}; unaware ${JSON.stringify(unaware)}`;
    assert.equal(new Set(aware.map(key)).size, 4, report);
    assert.ok(aware.every((p) => isFeasible(space, p)), report);
    assert.ok(aware.every((p) => !history.some((o) => key(o.params) === key(p))), report);
    // Ignoring them, the four are (nearly) one point; aware of them, they spread out.
    assert.ok(minPairwiseDistance(unaware) < 0.01, report);
    assert.ok(minPairwiseDistance(aware) > 0.04, report);
    assert.ok(minPairwiseDistance(aware) > 10 * minPairwiseDistance(unaware), report);
  });

  for (const strategy of PENDING_STRATEGIES.filter((s) => s !== 'ignore')) {
    test(`${strategy}: no ask repeats a pending configuration, every ask is feasible, and the same seed gives the same four`, () => {
      const sampler = () => new GpEiSampler({ initialTrials: 5, seed: 1, pending: strategy });
      const { proposals, pending } = successive(sampler(), history, 4);
      proposals.forEach((p, i) => assert.ok(!pending.slice(0, i).some((o) => key(o.params) === key(p)), `ask ${i} repeats a pending trial`));
      assert.equal(new Set(proposals.map(key)).size, 4);
      assert.ok(proposals.every((p) => isFeasible(space, p)));
      assert.ok(minPairwiseDistance(proposals) > 0.02, `${strategy}: ${JSON.stringify(proposals)}`);
      assert.deepEqual(successive(sampler(), history, 4).proposals, proposals);
      assert.notDeepEqual(successive(sampler(), history, 4, 2).proposals, proposals);
    });
  }

  test('without pending trials nothing changes: every strategy proposes what ignoring them does', () => {
    const rng = () => createRng(5);
    const plain = new GpEiSampler({ initialTrials: 5, seed: 1, pending: 'ignore' }).suggest(space, history, rng());
    for (const strategy of PENDING_STRATEGIES) assert.deepEqual(new GpEiSampler({ initialTrials: 5, seed: 1, pending: strategy }).suggest(space, history, rng()), plain, strategy);
  });

  test('four asks in flight during the initial design get four distinct design points, in a context too', () => {
    for (const context of [undefined, [0.5]]) {
      const sampler = new GpEiSampler({ initialTrials: 6, seed: 3 });
      const elsewhere: Observation[] = context === undefined ? [] : [{ params: { x: 0.5, y: 0.5, n: 2 }, value: 1, context: [0] }];
      const asked: Observation[] = [];
      for (let i = 0; i < 4; i++) asked.push({ params: sampler.suggest(space, [...asked, ...elsewhere], createRng(i), context), ...(context && { context }) });
      assert.equal(new Set(asked.map((o) => key(o.params))).size, 4);
      assert.ok(asked.every((o) => isFeasible(space, o.params)));
      // The same as the design a sequential study makes: pending trials occupy their strata as measured ones do.
      const sequential: Observation[] = [];
      for (let i = 0; i < 4; i++) sequential.push({ params: sampler.suggest(space, [...sequential, ...elsewhere], createRng(i), context), value: 0, ...(context && { context }) });
      assert.deepEqual(asked.map((o) => o.params), sequential.map((o) => o.params));
    }
  });

  test('in a context, four asks with the previous ones pending are distinct and feasible', () => {
    const shared = [...history.map((o) => ({ ...o, context: [0] })), ...measuredHistory(8).slice(2).map((o) => ({ ...o, context: [1] }))];
    const sampler = new GpEiSampler({ initialTrials: 5, seed: 1 });
    const asked: Observation[] = [];
    for (let i = 0; i < 4; i++) asked.push({ params: sampler.suggest(space, [...shared, ...asked], createRng(i), [1]), context: [1] });
    assert.equal(new Set(asked.map((o) => key(o.params))).size, 4);
    assert.ok(asked.every((o) => isFeasible(space, o.params) && !shared.some((s) => sameContext(s.context, [1]) && key(s.params) === key(o.params))));
    assert.ok(minPairwiseDistance(asked.map((o) => o.params)) > 0.02, JSON.stringify(asked));
  });

  test('a Study with four trials asked and none told hands out four distinct configurations', () => {
    const study = new Study({ space, sampler: createSampler('bo', { budget: 20, seed: 2 }), seed: 2 });
    for (let round = 0; round < 3; round++) {
      const asked = Array.from({ length: 4 }, () => study.ask());
      assert.equal(new Set(asked.map((a) => key(a.params))).size, 4, `round ${round}`);
      for (const { number, params } of asked) study.tell(number, objective(params));
    }
    assert.equal(new Set(study.trials().map((t) => key(t.params))).size, 12);
  });

  test('the default strategy is one of the fantasies or penalties, not ignoring', () => {
    assert.notEqual(DEFAULT_PENDING_STRATEGY, 'ignore');
  });
});

describe('a pending observation', () => {
  const pending: Observation = { params: { x: 0.2, y: 0.2, n: 1 } };

  test('is neither complete nor failed', () => {
    assert.equal(outcomeOf(pending), 'pending');
    assert.equal(completed([...history, pending]).length, completed(history).length);
  });

  test('leaves the success model as it was: no success, no failure', () => {
    const inputOf = (o: Observation) => modelInput(space, o);
    const points = [[0.1, 0.1, 0], [0.9, 0.2, 0.6], [0.5, 0.5, 1]];
    const without = fitSuccessModel(history, inputOf).probabilities(points);
    const running = [0.9, 0.1, 0.3].map((x) => ({ params: { x, y: 0.1, n: 3 } }));
    assert.deepEqual(fitSuccessModel([...history, ...running], inputOf).probabilities(points), without);
    // With no failure among the finished trials, pending ones do not make one up.
    assert.deepEqual(fitSuccessModel([...completed(history), pending], inputOf).probabilities(points), [1, 1, 1]);
  });

  test('fantasies keep the hyperparameters and transform fitted on the real trials; only the posterior moves', () => {
    const done = completed(history);
    const fitted = GaussianProcess.fit(done.map((o) => modelInput(space, o)), done.map((o) => o.value));
    const at = modelInput(space, pending);
    for (const strategy of ['believer', 'liar-min', 'liar-mean', 'liar-max'] as PendingStrategy[]) {
      const fantasy = fantasyModel(fitted, [at], strategy);
      assert.equal(fantasy.hyperparameters, fitted.hyperparameters);
      assert.equal(fantasy.transform, fitted.transform);
      assert.equal(fantasy.inputs.length, done.length + 1);
      assert.ok(fantasy.predict([at]).variance[0]! < 0.1 * fitted.predict([at]).variance[0]!, strategy);
    }
    // The believer's fantasy is the posterior mean, so the mean stays where it was.
    const believed = fantasyModel(fitted, [at], 'believer');
    assert.ok(Math.abs(believed.predict([at]).mean[0]! - fitted.predict([at]).mean[0]!) < 1e-6);
    // The lowest lie is the lowest target, the highest the highest.
    assert.equal(fantasyModel(fitted, [at], 'liar-min').targets.at(-1), Math.min(...fitted.targets));
    assert.equal(fantasyModel(fitted, [at], 'liar-max').targets.at(-1), Math.max(...fitted.targets));
    assert.equal(fantasyModel(fitted, [at], 'penalize'), fitted);
    // In a context, the lie comes from that context's trials (load levels differ in scale).
    const peers = [[3, 4, 5]];
    assert.equal(fantasyModel(fitted, [at], 'liar-min', peers).targets.at(-1), Math.min(...peers[0]!.map((i) => fitted.targets[i]!)));
    assert.equal(withObservations(fitted, [], []), fitted);
  });
});

describe('random, grid and Latin hypercube skip pending configurations', () => {
  const tiny = unwrapSpace(parseSearchSpace({ parameters: [{ name: 'n', kind: 'int', low: 0, high: 3 }, { name: 'c', kind: 'categorical', choices: ['a', 'b'] }] }, 'tiny'));
  const tinyKey = (p: Params) => configurationKey(tiny, p);
  const all = [0, 1, 2, 3].flatMap((n) => ['a', 'b'].map((c) => ({ n, c })));

  test('random: with all but one configuration pending, it proposes the last one', () => {
    for (const [i, left] of all.entries()) {
      const pending = all.filter((p) => p !== left).map((params) => ({ params }));
      assert.equal(tinyKey(new RandomSampler().suggest(tiny, pending, createRng(i))), tinyKey(left));
    }
  });

  test('grid: pending grid points are skipped like measured ones, so K asks in flight walk the grid in order', () => {
    const sequential: Observation[] = [];
    for (let i = 0; i < 6; i++) sequential.push({ params: new GridSampler(3).suggest(space, sequential, createRng(i)), value: i });
    const inFlight: Observation[] = [];
    for (let i = 0; i < 6; i++) inFlight.push({ params: new GridSampler(3).suggest(space, inFlight, createRng(i)) });
    assert.deepEqual(inFlight.map((o) => o.params), sequential.map((o) => o.params));
    assert.equal(new Set(inFlight.map((o) => key(o.params))).size, 6);
  });

  test('Latin hypercube: each ask in flight takes the next design point, none repeated', () => {
    const lhs = new LhsSampler({ size: 12, seed: 4 });
    const sequential: Observation[] = [];
    for (let i = 0; i < 8; i++) sequential.push({ params: lhs.suggest(space, sequential, createRng(i)), value: i });
    const inFlight: Observation[] = [];
    for (let i = 0; i < 8; i++) inFlight.push({ params: lhs.suggest(space, inFlight, createRng(i)) });
    assert.deepEqual(inFlight.map((o) => o.params), sequential.map((o) => o.params));
    assert.equal(new Set(inFlight.map((o) => key(o.params))).size, 8);
    assert.ok(inFlight.every((o) => isFeasible(space, o.params)));
  });

  test('every strategy proposes nothing pending on a small space, to the last configuration', () => {
    for (const name of ['random', 'grid', 'lhs', 'bo']) {
      const sampler = createSampler(name, { budget: 8, seed: 1, initialTrials: 3 });
      const pending: Observation[] = [];
      for (let i = 0; i < all.length; i++) pending.push({ params: sampler.suggest(tiny, pending, createRng(i)) });
      assert.equal(new Set(pending.map((o) => tinyKey(o.params))).size, all.length, name);
    }
  });
});
