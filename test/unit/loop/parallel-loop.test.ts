import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import type { Deployment, DeploymentSpec } from '../../../src/deploy/backend.ts';
import { attemptsSoFar } from '../../../src/domain/trials.ts';
import { createSampler } from '../../../src/samplers/factory.ts';
import type { Observation, Sampler } from '../../../src/samplers/sampler.ts';
import type { Params } from '../../../src/space/params.ts';
import { MemoryStorage } from '../../../src/storage/memory.ts';
import { paramsToSpec } from '../../../src/study/params-to-spec.ts';
import { Study } from '../../../src/study/study.ts';
import { storedTrials } from '../../../src/study/trial-store.ts';
import type { Measurement } from '../../../src/study/trial-runner.ts';
import { runStudy, type LoopEvent } from '../../../src/study/tuning-loop.ts';
import { fakeMeasure, fakeMetrics, FakeBackend, SPACE, studyRecord } from './fakes.ts';


/** Trials take different times (by trial number), so with K lanes they overlap and end out of order. */
const durationMs = (trialNumber: number) => [25, 5, 15, 30, 10, 20][trialNumber % 6] as number;

function harness(budget: number, storage = new MemoryStorage(), abort = new AbortController(), failAtSuggestion = Number.POSITIVE_INFINITY, reconfigure = false) {
  const backend = new FakeBackend(abort, { reconfigure });
  const study = studyRecord({ budget, strategy: 'random', ...(reconfigure && { reconfigure }) });
  if (!storage.getStudy(study.id)) storage.createStudy(study);
  const running = new Map<number, number>(); // trial → lane
  const overlaps: number[] = [];
  const lanesSeen: number[] = [];
  const pendingSeen: number[] = [];
  const inner = fakeMeasure(backend);
  const measure = async (deployment: Deployment, signal: AbortSignal): Promise<Measurement> => {
    const { trialNumber, lane = 0 } = deployment.spec;
    assert.ok(![...running.values()].includes(lane), `lane ${lane} is used by one trial at a time`);
    running.set(trialNumber, lane);
    lanesSeen.push(lane);
    overlaps.push(running.size);
    try {
      await sleep(durationMs(trialNumber), undefined, { signal });
      return await inner(deployment, signal);
    } finally {
      running.delete(trialNumber);
    }
  };
  const random = createSampler('random');
  const sampler: Sampler = {
    name: 'random',
    suggest: (space, history: readonly Observation[], rng) => {
      if (pendingSeen.length + 1 >= failAtSuggestion) throw new Error('the sampler broke');
      pendingSeen.push(history.filter((o) => o.value === undefined && o.failed === undefined).length);
      return random.suggest(space, history, rng);
    },
  };
  const events: LoopEvent[] = [];
  const run = (parallel: number) =>
    runStudy(
      {
        storage,
        backend,
        measure,
        metrics: fakeMetrics,
        optimizer: new Study({ space: SPACE, sampler, seed: 1, trials: storedTrials(storage, study.id) }),
        toSpec: (params: Params, number: number): DeploymentSpec =>
          paramsToSpec(params, number, { studyId: study.id, modelName: 'gan', modelDirFor: (p) => `/models/gan/${p}`, concurrency: 4, readyTimeoutMs: 1000 }),
        clock: Date.now,
        onProgress: (event) => events.push(event),
      },
      { study, signal: abort.signal, parallel },
    );
  return { storage, backend, abort, study, overlaps, lanesSeen, pendingSeen, events, run };
}

describe('runStudy with trials in parallel', () => {
  test('keeps K trials in flight, each in its own lane, and measures exactly the budget', async () => {
    const h = harness(9);
    const run = await h.run(3);
    assert.equal(run.status, 'complete');
    assert.equal(attemptsSoFar(run.trials), 9);
    assert.equal(run.trials.length, 9);
    assert.ok(run.trials.every((t) => t.state === 'complete'));
    assert.equal(Math.max(...h.overlaps), 3, 'three trials ran at once');
    assert.deepEqual([...new Set(h.lanesSeen)].sort(), [0, 1, 2]);
    // The baseline is asked alone; every later proposal saw the trials still in flight as pending.
    assert.ok(Math.max(...h.pendingSeen) >= 2, `proposals knew the pending trials (saw ${h.pendingSeen.join(',')})`);
    assert.deepEqual(h.backend.tornDown.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('a finished trial frees its lane at once: trials end out of order and the next starts before the slow one ends', async () => {
    const h = harness(6);
    await h.run(2);
    const order = h.events.flatMap((e) => (e.type === 'trial-finished' ? [e.trial.number] : []));
    assert.notDeepEqual(order, [...order].sort((a, b) => a - b), `ended out of order: ${order.join(',')}`);
    const started = h.events.findIndex((e) => e.type === 'trial-started' && e.number === 2);
    const zeroEnded = h.events.findIndex((e) => e.type === 'trial-finished' && e.trial.number === 0);
    assert.ok(started < zeroEnded, 'trial 2 started while trial 0 (the slowest) still ran');
  });

  test('an infrastructure failure does not count toward the budget; the study still measures it all', async () => {
    const h = harness(5);
    h.backend.scripts.set(1, { deploy: 'throw' });
    const run = await h.run(2);
    assert.equal(run.status, 'complete');
    assert.equal(attemptsSoFar(run.trials), 5);
    assert.equal(run.trials.find((t) => t.number === 1)?.failureKind, 'internal');
    assert.equal(run.trials.length, 6);
  });

  test('an interrupt starts nothing new and waits for every trial in flight to end and be reaped', async () => {
    const h = harness(8);
    const started: number[] = [];
    h.backend.onDeploy = (spec) => {
      started.push(spec.trialNumber);
      if (spec.trialNumber === 3) setTimeout(() => h.abort.abort(), 2);
    };
    const run = await h.run(2);
    assert.equal(run.status, 'interrupted');
    assert.ok(!run.trials.some((t) => t.state === 'running'), 'no trial is left running');
    const interrupted = run.trials.filter((t) => t.state === 'interrupted').map((t) => t.number);
    assert.ok(interrupted.includes(3), `trial 3 was interrupted (${interrupted.join(',')})`);
    assert.ok(Math.max(...started) <= 4, 'nothing started after the interrupt');
    for (const number of interrupted) assert.ok(h.backend.reaped.some((r) => r.trialNumber === number));

    const resumed = harness(8, h.storage);
    const finished = await resumed.run(2);
    assert.equal(finished.status, 'complete');
    assert.equal(attemptsSoFar(finished.trials), 8);
  });

  test('resume after a crash with K trials running: both are recovered as stale, reaped, and the budget is met', async () => {
    const storage = new MemoryStorage();
    const first = harness(6, storage);
    storage.startTrial(first.study.id, 0, { replicas: 1, cpus: 1, max_batch_size: 1 });
    storage.startTrial(first.study.id, 1, { replicas: 2, cpus: 1, max_batch_size: 2 });
    const run = await first.run(2);
    assert.equal(run.status, 'complete');
    const recovered = first.events.find((e) => e.type === 'recovered');
    assert.deepEqual(recovered?.type === 'recovered' && recovered.recovery.staleTrials, [0, 1]);
    assert.equal(attemptsSoFar(run.trials), 6);
  });

  test('K = 1 runs one trial at a time, in lane 0', async () => {
    const h = harness(4);
    await h.run(1);
    assert.equal(Math.max(...h.overlaps), 1);
    assert.deepEqual([...new Set(h.lanesSeen)], [0]);
  });

  test('a proposal that throws stops new trials, lets the ones in flight end and be torn down, then surfaces', async () => {
    const h = harness(6, new MemoryStorage(), new AbortController(), 2);
    await assert.rejects(h.run(2), /the sampler broke/);
    const trials = h.storage.trials(h.study.id);
    assert.ok(trials.length >= 1 && trials.every((t) => t.state !== 'running'), trials.map((t) => `${t.number} ${t.state}`).join(', '));
    assert.deepEqual(h.backend.tornDown.sort(), trials.map((t) => t.number).sort());
  });

  test('with reconfiguration each lane keeps its own deployment, and a proposal that throws still leaves nothing up', async () => {
    const h = harness(8, new MemoryStorage(), new AbortController(), Number.POSITIVE_INFINITY, true);
    const run = await h.run(2);
    assert.equal(run.status, 'complete');
    // A lane handed another lane's deployment would be refused (other CPUs) and deploy fresh.
    assert.equal(h.backend.reconfigured.length, 6);
    assert.deepEqual(h.backend.deployed.map((s) => s.lane).sort(), [0, 1], 'one fresh deployment per lane');
    assert.equal(h.backend.live.size, 0);

    const broken = harness(6, new MemoryStorage(), new AbortController(), 3, true);
    await assert.rejects(broken.run(2), /the sampler broke/);
    assert.equal(broken.backend.live.size, 0);
  });
});
