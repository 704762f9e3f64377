import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Params } from '../../../src/space/params.ts';
import { defaults } from '../../../src/space/space.ts';
import { parseSearchSpace } from '../../../src/space/parse.ts';
import { unwrapSpace } from '../../../src/space/space-error.ts';
import { MemoryStorage } from '../../../src/storage/memory.ts';
import type { StudyRecord, TrialRecord } from '../../../src/domain/records.ts';
import { paramsToSpec } from '../../../src/study/params-to-spec.ts';
import { isMeasuredAttempt } from '../../../src/domain/trials.ts';
import { createSampler } from '../../../src/samplers/factory.ts';
import type { Observation, Sampler } from '../../../src/samplers/sampler.ts';
import type { SearchSpace } from '../../../src/space/space.ts';
import { Study } from '../../../src/study/study.ts';
import { storedTrials } from '../../../src/study/trial-store.ts';
import { runStudy, type LoopEvent, type LoopOptions } from '../../../src/study/tuning-loop.ts';
import { assertOnlyRunning, fakeMeasure, fakeMetrics, FakeBackend, SPACE, studyRecord } from './fakes.ts';

const BASELINE: Params = defaults(SPACE);

interface Harness {
  storage: MemoryStorage;
  backend: FakeBackend;
  abort: AbortController;
  study: StudyRecord;
  /** The stored trials when each proposal was made, and what the sampler was given to learn from. */
  proposedFrom: TrialRecord[][];
  learnedFrom: Observation[][];
  events: LoopEvent[];
  run: (options?: Partial<LoopOptions>) => ReturnType<typeof runStudy>;
}

function harness(studyOverrides: Partial<StudyRecord> = {}, storage = new MemoryStorage(), space: SearchSpace = SPACE): Harness {
  const abort = new AbortController();
  const backend = new FakeBackend(abort, { reconfigure: studyOverrides.reconfigure === true });
  const study = studyRecord(studyOverrides);
  if (!storage.getStudy(study.id)) storage.createStudy(study);
  const proposedFrom: TrialRecord[][] = [];
  const learnedFrom: Observation[][] = [];
  const events: LoopEvent[] = [];
  backend.onDeploy = (spec) => assertOnlyRunning(storage, study.id, spec.trialNumber);
  const random = createSampler(study.strategy, { budget: study.budget, seed: study.seed });
  const sampler: Sampler = {
    name: random.name,
    suggest: (space, history, rng) => {
      proposedFrom.push(storage.trials(study.id));
      learnedFrom.push([...history]);
      return random.suggest(space, history, rng);
    },
  };
  const optimizer = new Study({ space, sampler, seed: study.seed, trials: storedTrials(storage, study.id) });
  let clock = 0;
  const deps = {
    storage,
    backend,
    measure: fakeMeasure(backend),
    metrics: fakeMetrics,
    optimizer,
    toSpec: (params: Params, number: number) =>
      paramsToSpec(params, number, { studyId: study.id, modelName: 'gan', modelDirFor: (p) => `/models/gan/${p}`, concurrency: 4, readyTimeoutMs: 1000 }),
    clock: () => (clock += 1000),
    onProgress: (event: LoopEvent) => events.push(event),
  };
  const run = (options: Partial<LoopOptions> = {}) => runStudy(deps, { study, signal: abort.signal, ...options });
  return { storage, backend, abort, study, proposedFrom, learnedFrom, events, run };
}

describe('runStudy', () => {
  test('runs the baseline first, then the budget, recording and tearing down every trial', async () => {
    const h = harness({ budget: 5 });
    const result = await h.run();
    assert.equal(result.status, 'complete');
    const trials = h.storage.trials(h.study.id);
    assert.deepEqual(trials.map((t) => t.number), [0, 1, 2, 3, 4]);
    assert.deepEqual(trials[0]?.params, BASELINE);
    assert.ok(trials.every((t) => t.state === 'complete' && t.metrics && t.objectiveValue !== undefined));
    assert.deepEqual(h.backend.tornDown, [0, 1, 2, 3, 4]);
    assert.equal(h.proposedFrom.length, 4, 'the optimizer proposes every trial after the baseline');
    assert.deepEqual(h.proposedFrom.at(-1)?.map((t) => t.number), [0, 1, 2, 3], 'from every trial stored before it');
    const keys = new Set(trials.map((t) => JSON.stringify(t.params)));
    assert.equal(keys.size, 5, 'no configuration is proposed twice');
    assert.ok(h.storage.histogram(h.study.id, 3).length > 0);
    assert.equal(h.backend.deployed[0]?.replicas, 1);
  });

  test('a deploy failure becomes a failed trial and the study goes on', async () => {
    const h = harness({ budget: 4 });
    h.backend.scripts.set(1, { deploy: { ok: false, failure: { kind: 'oom_killed', message: 'replica 0 was OOM-killed at 512 MB' } } });
    const result = await h.run();
    assert.equal(result.status, 'complete');
    const trials = h.storage.trials(h.study.id);
    assert.equal(trials.length, 4);
    assert.equal(trials[1]?.state, 'failed');
    assert.equal(trials[1]?.failureKind, 'oom_killed');
    assert.equal(trials[1]?.failureMessage, 'replica 0 was OOM-killed at 512 MB');
    assert.ok(!h.backend.tornDown.includes(1), 'nothing was deployed, so nothing to tear down');
    const later = h.proposedFrom.at(-1) ?? [];
    assert.equal(later.find((t) => t.number === 1)?.failureKind, 'oom_killed', 'the optimizer learns the configuration failed');
  });

  test('a replica that died mid-measurement fails the trial but keeps its metrics, and is torn down', async () => {
    const h = harness({ budget: 3 });
    h.backend.scripts.set(2, { health: { ok: false, failure: { kind: 'crashed', message: 'replica 1 exited with code 134' } } });
    await h.run();
    const trial = h.storage.trials(h.study.id)[2];
    assert.equal(trial?.state, 'failed');
    assert.equal(trial?.failureKind, 'crashed');
    assert.ok(trial?.metrics);
    assert.ok(h.backend.tornDown.includes(2));
  });

  test('a measurement broken by an OOM kill is reported as the OOM, not as a client error', async () => {
    const h = harness({ budget: 2 });
    h.backend.scripts.set(1, { measure: 'throw', health: { ok: false, failure: { kind: 'oom_killed', message: 'replica 0 OOM' } } });
    await h.run();
    assert.equal(h.storage.trials(h.study.id)[1]?.failureKind, 'oom_killed');
    assert.ok(h.backend.tornDown.includes(1));
  });

  test('abort mid-measurement: the trial is interrupted, torn down and reaped, and no further trial starts', async () => {
    const h = harness({ budget: 5 });
    h.backend.scripts.set(2, { measure: 'abort' });
    const result = await h.run();
    assert.equal(result.status, 'interrupted');
    const trials = h.storage.trials(h.study.id);
    assert.deepEqual(trials.map((t) => t.state), ['complete', 'complete', 'interrupted']);
    assert.ok(h.backend.tornDown.includes(2));
    assert.deepEqual(h.backend.reaped, [{ studyId: h.study.id, trialNumber: 2 }]);
  });

  test('abort during deploy records the trial as interrupted', async () => {
    const h = harness({ budget: 5 });
    h.backend.scripts.set(0, { deploy: 'abort' });
    const result = await h.run();
    assert.equal(result.status, 'interrupted');
    assert.deepEqual(h.storage.trials(h.study.id).map((t) => t.state), ['interrupted']);
  });

  test('an already aborted signal starts nothing', async () => {
    const h = harness({ budget: 3 });
    h.abort.abort();
    const result = await h.run();
    assert.equal(result.status, 'interrupted');
    assert.equal(h.storage.trials(h.study.id).length, 0);
    assert.equal(h.backend.deployed.length, 0);
  });

  test('resume: a stale running trial is failed and reaped, numbering stays contiguous, history is not re-run', async () => {
    const storage = new MemoryStorage();
    const first = harness({ budget: 5 }, storage);
    first.backend.scripts.set(2, { measure: 'abort' });
    await first.run();
    // A process killed while trial 3 was running leaves it `running`.
    storage.startTrial(first.study.id, 3, { replicas: 2, cpus: 1.5, max_batch_size: 4 });

    const second = harness({ budget: 5 }, storage);
    const result = await second.run();
    assert.equal(result.status, 'complete');
    const trials = storage.trials(first.study.id);
    assert.deepEqual(trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(trials[3]?.failureKind, 'stale');
    assert.deepEqual(second.backend.reaped[0], { studyId: first.study.id, trialNumber: 3 });
    assert.deepEqual(second.proposedFrom[0]?.map((t) => t.state), ['complete', 'complete', 'interrupted', 'failed'], 'the stored trials are read back');
    assert.deepEqual(second.learnedFrom[0]?.map((o) => o.value !== undefined), [true, true], 'the sampler learns from the measured ones only');
    assert.deepEqual(second.backend.deployed.map((s) => s.trialNumber), [4, 5, 6]);
    assert.equal(trials.filter((t) => t.state === 'complete').length, 5, 'the budget counts measured trials only');
  });

  test('a study interrupted mid-way and resumed measures exactly the configurations an uninterrupted one does', async () => {
    const whole = harness({ budget: 6 });
    await whole.run();
    const storage = new MemoryStorage();
    const first = harness({ budget: 6 }, storage);
    first.backend.scripts.set(3, { measure: 'abort' });
    await first.run();
    await harness({ budget: 6 }, storage).run();
    const measured = (h: Harness) => h.storage.trials(h.study.id).filter(isMeasuredAttempt).map((t) => t.params);
    assert.equal(storage.trials(first.study.id).length, 7, 'the interrupted row stays');
    assert.deepEqual(measured(first), measured(whole));
  });

  test('untilAttempts runs a study a few trials at a time (a sweep taking turns), measuring what one run would', async () => {
    const whole = harness({ budget: 5 });
    await whole.run();
    const storage = new MemoryStorage();
    for (const until of [1, 2, 2, 4, 9]) {
      const result = await harness({ budget: 5 }, storage).run({ untilAttempts: until });
      assert.equal(result.status, 'complete');
      assert.equal(storage.trials(whole.study.id).length, Math.min(until, 5), `stops at ${until}, never past the budget`);
    }
    const measured = (trials: readonly TrialRecord[]) => trials.filter(isMeasuredAttempt).map((t) => t.params);
    assert.deepEqual(measured(storage.trials(whole.study.id)), measured(whole.storage.trials(whole.study.id)));
  });

  test('resume after an interrupted baseline runs the baseline again first', async () => {
    const storage = new MemoryStorage();
    const first = harness({ budget: 3 }, storage);
    first.backend.scripts.set(0, { measure: 'abort' });
    await first.run();
    const second = harness({ budget: 3 }, storage);
    await second.run();
    const trials = storage.trials(first.study.id);
    assert.equal(trials[0]?.state, 'interrupted');
    assert.deepEqual(trials[1]?.params, BASELINE);
    assert.equal(trials.length, 4);
  });

  test('an SLO miss fails the trial as slo_violated and keeps its metrics', async () => {
    const h = harness({ budget: 2, sloP99Ms: 150 });
    await h.run();
    const baseline = h.storage.trials(h.study.id)[0];
    assert.equal(baseline?.state, 'failed', 'the baseline p99 is 200 ms in the fake');
    assert.equal(baseline?.failureKind, 'slo_violated');
    assert.ok(baseline?.metrics && baseline.metrics.p99Ms > 150);
  });

  test('too many failed requests fail the trial', async () => {
    const h = harness({ budget: 1 });
    h.backend.scripts.set(0, { errors: 100 });
    await h.run();
    assert.equal(h.storage.trials(h.study.id)[0]?.failureKind, 'request_errors');
  });

  test('repeated internal errors stop the study cleanly and do not reach the optimizer', async () => {
    const h = harness({ budget: 6 });
    h.backend.scripts.set(1, { deploy: 'throw' });
    h.backend.scripts.set(2, { deploy: { ok: false, failure: { kind: 'engine_unreachable', message: 'Docker engine unreachable' } } });
    const result = await h.run();
    assert.equal(result.status, 'stopped');
    assert.match(result.status === 'stopped' ? result.reason : '', /2 trials in a row could not run: Docker engine unreachable/);
    assert.deepEqual(h.storage.trials(h.study.id).map((t) => t.failureKind), [undefined, 'internal', 'engine_unreachable']);
  });

  test('one internal error alone does not stop the study, nor count toward the budget', async () => {
    const h = harness({ budget: 3 });
    h.backend.scripts.set(1, { deploy: 'throw' });
    const result = await h.run();
    assert.equal(result.status, 'complete');
    assert.deepEqual(h.storage.trials(h.study.id).map((t) => t.state), ['complete', 'failed', 'complete', 'complete']);
  });

  test('a configuration the backend cannot express is a failed invalid_config trial', async () => {
    const unexpressible = unwrapSpace(parseSearchSpace({ parameters: [{ name: 'replicas', kind: 'categorical', choices: ['many', 'few'] }] }, 'bad.json'));
    const h = harness({ budget: 2 }, new MemoryStorage(), unexpressible);
    const result = await h.run();
    assert.equal(result.status, 'complete');
    assert.equal(h.storage.trials(h.study.id)[0]?.failureKind, 'invalid_config');
  });

  test('progress events report each trial start and finish with the best so far', async () => {
    const h = harness({ budget: 3 });
    await h.run();
    const finished = h.events.filter((e) => e.type === 'trial-finished');
    assert.equal(finished.length, 3);
    const last = finished.at(-1);
    assert.ok(last?.type === 'trial-finished' && last.best !== undefined && last.attempts === 3);
  });
});

describe('runStudy with live reconfiguration', () => {
  test('each trial reconfigures what the one before left running; all of it is torn down at the end', async () => {
    const h = harness({ budget: 5, reconfigure: true });
    const result = await h.run();
    assert.equal(result.status, 'complete');
    const trials = h.storage.trials(h.study.id);
    assert.deepEqual(trials.map((t) => t.deployMode), ['fresh', 'reconfigured', 'reconfigured', 'reconfigured', 'reconfigured']);
    assert.deepEqual(h.backend.deployed.map((s) => s.trialNumber), [0], 'only the first trial deployed from scratch');
    assert.deepEqual(h.backend.reconfigured.map((r) => r.trialNumber), [1, 2, 3, 4]);
    assert.deepEqual(h.backend.tornDown, [4], 'the deployment is torn down once, after the last trial');
    assert.equal(h.backend.live.size, 0, 'no container is left');
    assert.ok(h.backend.reaped.some((r) => r.studyId === h.study.id && r.trialNumber === undefined), 'and the study is swept for leftovers');
    assert.ok(trials.every((t) => t.state === 'complete'));
  });

  test('a reconfiguration refused or broken falls back to a teardown and a fresh deploy', async () => {
    const h = harness({ budget: 4, reconfigure: true });
    h.backend.scripts.set(1, { reconfigure: 'refuse' });
    h.backend.scripts.set(2, { reconfigure: 'throw' });
    await h.run();
    const trials = h.storage.trials(h.study.id);
    assert.deepEqual(trials.map((t) => t.deployMode), ['fresh', 'fresh', 'fresh', 'reconfigured']);
    assert.deepEqual(h.backend.tornDown, [0, 1, 3]);
    assert.equal(h.backend.live.size, 0);
    const warnings = h.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    assert.deepEqual(warnings, [
      'trial 1: the running replicas could not be changed in place (scripted refusal); deploying fresh',
      'trial 2: the running replicas could not be changed in place (engine went away mid-update); deploying fresh',
    ], 'each fallback is said, with its reason');
  });

  test('a replica that died is not kept: the next trial deploys fresh', async () => {
    const h = harness({ budget: 3, reconfigure: true });
    h.backend.scripts.set(1, { health: { ok: false, failure: { kind: 'crashed', message: 'replica 0 exited with code 137' } } });
    await h.run();
    const trials = h.storage.trials(h.study.id);
    assert.equal(trials[1]?.failureKind, 'crashed');
    assert.equal(trials[2]?.deployMode, 'fresh');
    assert.equal(h.backend.live.size, 0);
  });

  test('an interrupt tears down the trial in flight and what it was reconfigured from', async () => {
    const h = harness({ budget: 5, reconfigure: true });
    h.backend.scripts.set(2, { measure: 'abort' });
    const result = await h.run();
    assert.equal(result.status, 'interrupted');
    assert.equal(h.backend.live.size, 0);
  });
});

describe('runStudy with confirmation rounds', () => {
  const settled = (trials: TrialRecord[]) =>
    trials.filter((t) => t.kind === 'confirmation' && t.state !== 'interrupted').map((t) => [t.confirms, t.round, t.objectiveValue]);

  test('after the budget the best configurations are measured again in whole windows, apart from the budget', async () => {
    const h = harness({ budget: 6, confirm: 2 });
    const result = await h.run();
    assert.equal(result.status, 'complete');
    const trials = h.storage.trials(h.study.id);
    const search = trials.filter((t) => t.kind === undefined);
    const confirmation = trials.filter((t) => t.kind === 'confirmation');
    assert.equal(search.length, 6, 'the budget is spent on search trials only');
    assert.ok(trials.filter(isMeasuredAttempt).every((t) => t.kind === undefined));
    assert.ok(confirmation.length >= 4, 'two contenders, at least two rounds');
    assert.ok(confirmation.every((t) => t.number >= 6 && t.state === 'complete'));
    assert.deepEqual(h.backend.wholeWindows, confirmation.map((t) => t.number), 'no confirmation window may stop early; every search window may');
    const contenders = [...new Set(confirmation.map((t) => t.confirms))];
    assert.equal(contenders.length, 2);
    for (const t of confirmation) assert.deepEqual(t.params, search.find((s) => s.number === t.confirms)?.params);
    assert.equal(h.proposedFrom.length, 5, 'nothing is proposed after the budget');
    assert.ok(h.events.some((e) => e.type === 'confirmation-started' && e.round === 1));
    const last = h.events.filter((e) => e.type === 'confirmation-finished').at(-1);
    assert.ok(last?.type === 'confirmation-finished' && last.verdict !== undefined && last.verdict.status !== 'unmeasured');
  });

  test('a study interrupted during confirmation, resumed, finishes it as an uninterrupted one would', async () => {
    const whole = harness({ budget: 6, confirm: 3 });
    await whole.run();
    const storage = new MemoryStorage();
    const first = harness({ budget: 6, confirm: 3 }, storage);
    first.backend.scripts.set(8, { measure: 'abort' });
    assert.equal((await first.run()).status, 'interrupted');
    assert.equal(storage.trials(first.study.id).find((t) => t.number === 8)?.state, 'interrupted');
    const resumed = await harness({ budget: 6, confirm: 3 }, storage).run();
    assert.equal(resumed.status, 'complete');
    assert.deepEqual(settled(storage.trials(first.study.id)), settled(whole.storage.trials(whole.study.id)));
  });

  test('confirmation reconfigures from one contender to the next and leaves nothing running', async () => {
    const h = harness({ budget: 5, confirm: 2, reconfigure: true });
    await h.run();
    const confirmation = h.storage.trials(h.study.id).filter((t) => t.kind === 'confirmation');
    assert.ok(confirmation.every((t) => t.deployMode !== 'fresh'), 'every round reuses the replicas in place');
    assert.equal(h.backend.live.size, 0);
  });
});
