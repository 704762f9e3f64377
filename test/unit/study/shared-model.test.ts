/**
 * A sweep's studies sharing one model: each level's sampler is given every sibling's measured attempts with
 * their contexts, its own trials in its context, and the context it proposes for; and a shared sweep resumed
 * after an interruption proposes what an uninterrupted one does.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TrialRecord } from '../../../src/domain/records.ts';
import { createRng, type Rng } from '../../../src/random/rng.ts';
import { bestEstimate } from '../../../src/samplers/best-estimate.ts';
import { createSampler } from '../../../src/samplers/factory.ts';
import type { Observation, Sampler } from '../../../src/samplers/sampler.ts';
import { parseSearchSpace, unwrapSpace, type Params, type SearchSpace } from '../../../src/space/index.ts';
import { loadContext, loadRange } from '../../../src/study/load-context.ts';
import { sharedContext, sharedObservations, type ContextMember } from '../../../src/study/shared-model.ts';
import { Study } from '../../../src/study/study.ts';
import { memoryTrials, type TrialStore } from '../../../src/study/trial-store.ts';

const space = unwrapSpace(parseSearchSpace({ parameters: [{ name: 'x', kind: 'float', low: 0, high: 1 }, { name: 'y', kind: 'float', low: 0, high: 1 }] }, 'shared'));
const LEVELS = [2, 8, 32];
const range = loadRange(LEVELS);
/** The best x grows with the load; every value grows with it. */
const latency = (p: Params, clients: number) => Math.log2(clients) + 10 * ((p['x'] as number) - Math.log2(clients) / 6) ** 2 + (p['y'] as number);

/** Records what it was asked with; proposes at random. */
class SpySampler implements Sampler {
  readonly name = 'spy';
  calls: { history: readonly Observation[]; context?: readonly number[] }[] = [];
  suggest(s: SearchSpace, history: readonly Observation[], rng: Rng, context?: readonly number[]): Params {
    this.calls.push({ history, context });
    return createSampler('random').suggest(s, history, rng);
  }
}

function membersOf(stores: readonly TrialStore[]): ContextMember[] {
  return stores.map((store, i) => ({ context: loadContext(LEVELS[i] as number, range), trials: () => store.trials() }));
}

describe('shared model across load levels', () => {
  test("a level's sampler gets the siblings' measured attempts with their contexts, its own in its context, and its context", () => {
    const stores = LEVELS.map((_, i) => memoryTrials(`level-${i}`));
    const members = membersOf(stores);
    const record = (store: TrialStore, number: number, x: number, outcome: 'complete' | 'oom' | 'interrupted' | 'running') => {
      store.start(number, { x, y: 0 });
      if (outcome === 'complete') store.finish(number, { state: 'complete', objectiveValue: x * 10 });
      if (outcome === 'oom') store.finish(number, { state: 'failed', failureKind: 'oom_killed', failureMessage: 'killed' });
      if (outcome === 'interrupted') store.finish(number, { state: 'interrupted', failureKind: 'interrupted' });
    };
    record(stores[0]!, 0, 0.1, 'complete');
    record(stores[0]!, 1, 0.2, 'oom');
    record(stores[2]!, 0, 0.3, 'complete');
    record(stores[2]!, 1, 0.4, 'interrupted'); // says nothing about its configuration
    record(stores[2]!, 2, 0.5, 'running'); // a sibling's running trial is not shared
    record(stores[1]!, 0, 0.6, 'complete');
    const spy = new SpySampler();
    const study = new Study({ space, sampler: spy, seed: 1, trials: stores[1], baselineFirst: false, context: sharedContext(members, members[1]!) });
    study.ask();
    const [call] = spy.calls;
    assert.deepEqual(call?.context, [0.5]);
    assert.deepEqual(call?.history, [
      { params: { x: 0.6, y: 0 }, value: 6, context: [0.5] },
      { params: { x: 0.1, y: 0 }, value: 1, context: [0] },
      { params: { x: 0.2, y: 0 }, failed: 'oom_killed', context: [0] },
      { params: { x: 0.3, y: 0 }, value: 3, context: [1] },
    ]);
    assert.equal(sharedObservations(members).length, 4); // the level's own running trial (just asked) is pending, not shared
  });

  test('without a context a study sees only its own trials, and no context is passed', () => {
    const spy = new SpySampler();
    const study = new Study({ space, sampler: spy, seed: 1, baselineFirst: false });
    const { number } = study.ask();
    study.tell(number, 1);
    study.ask();
    assert.equal(spy.calls[1]?.context, undefined);
    assert.equal(spy.calls[1]?.history.length, 1);
    assert.equal(spy.calls[1]?.history[0]?.context, undefined);
  });

  test("the posterior best of a level is one of that level's own trials, estimated by every level's", () => {
    const history: Observation[] = [
      { params: { x: 0.5, y: 0 }, value: 3, context: [0] },
      { params: { x: 0.4, y: 0 }, value: 4, context: [0] },
      { params: { x: 0.1, y: 0 }, value: 1, context: [1] }, // lower, but at another level
      { params: { x: 0.2, y: 0 }, value: 2, context: [1] },
    ];
    const best = bestEstimate(space, history, [0]);
    assert.equal(best?.index, 0);
    assert.equal(bestEstimate(space, history)?.index, 2);
  });

  test('a shared sweep interrupted and resumed proposes exactly what an uninterrupted one does', () => {
    const rounds = 7;
    const uninterrupted = runSweep(rounds);
    const resumed = runSweep(rounds, { afterStep: 10 });
    assert.deepEqual(resumed, uninterrupted);
    assert.equal(uninterrupted.length, rounds * LEVELS.length);
    // And the model is shared: the same seed run level by level, independently, proposes otherwise.
    assert.notDeepEqual(runSweep(rounds, { independent: true }), uninterrupted);
  });
});

/**
 * Rounds of one trial per level, as `tune sweep` runs them: each level tops up to the round's count. With
 * `afterStep`, the trial asked at that step is interrupted, and every Study is built again on the same stores
 * (a new process resuming). Returns the measured configurations per level, in the order they were measured.
 */
function runSweep(rounds: number, options: { afterStep?: number; independent?: boolean } = {}): string[] {
  const stores = LEVELS.map((_, i) => memoryTrials(`level-${i}`));
  const members = membersOf(stores);
  const open = () =>
    LEVELS.map((_, i) => new Study({ space, sampler: createSampler('bo', { budget: rounds, seed: 4 }), seed: 4, trials: stores[i], ...(!options.independent && { context: sharedContext(members, members[i]!) }) }));
  let studies = open();
  const noise = createRng('noise');
  const measured: string[] = [];
  let step = 0;
  for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < LEVELS.length; i++) {
      while (attempts(stores[i]!.trials()) < round) {
        const { number, params } = studies[i]!.ask();
        if (step++ === options.afterStep) {
          stores[i]!.finish(number, { state: 'interrupted', failureKind: 'interrupted' });
          studies = open();
          continue;
        }
        studies[i]!.tell(number, latency(params, LEVELS[i] as number) + 0.01 * noise.normal());
        measured.push(`${LEVELS[i]}:${JSON.stringify(params)}`);
      }
    }
  }
  return measured;
}

function attempts(trials: readonly TrialRecord[]): number {
  return trials.filter((t) => t.state === 'complete' || t.state === 'failed').length;
}
