/** The behaviour every Storage must show; run against each implementation by storage.test.ts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStorageError, type StorageErrorCode } from '../../../src/storage/errors.ts';
import type { Storage } from '../../../src/storage/storage.ts';
import { aStudy, someMetrics, someParams, tickingClock } from './fixtures.ts';

export type StorageFactory = (now: () => Date) => Storage;

function assertStorageError(fn: () => unknown, code: StorageErrorCode): void {
  assert.throws(fn, (error: unknown) => isStorageError(error) && error.code === code && !error.message.includes('\n'));
}

export function storageContract(name: string, open: StorageFactory): void {
  describe(`Storage contract: ${name}`, () => {
    const withStorage = (body: (storage: Storage) => void) => () => {
      const storage = open(tickingClock());
      try {
        body(storage);
      } finally {
        storage.close();
      }
    };

    test('a created study reads back equal, and unknown studies are undefined', withStorage((storage) => {
      const study = aStudy({ host: { ...aStudy().host, dockerVersion: '20.10.24' } });
      storage.createStudy(study);
      assert.deepEqual(storage.getStudy(study.id), study);
      assert.equal(storage.getStudy('nope'), undefined);
    }));

    test('optional study fields left out stay left out', withStorage((storage) => {
      const { sloP99Ms: _, ...study } = aStudy();
      storage.createStudy(study);
      assert.deepEqual(storage.getStudy(study.id), study);
    }));

    test('a study minimising several objectives, and one minimising energy, read back equal', withStorage((storage) => {
      const tradeoff = aStudy({ id: 'tradeoff', objective: 'p99', objectives: ['p99', 'cost', 'energy'] });
      const energy = aStudy({ id: 'energy', objective: 'energy' });
      storage.createStudy(tradeoff);
      storage.createStudy(energy);
      assert.deepEqual(storage.getStudy('tradeoff'), tradeoff);
      assert.deepEqual(storage.getStudy('energy'), energy);
    }));

    test('a study name is used once', withStorage((storage) => {
      storage.createStudy(aStudy());
      assertStorageError(() => storage.createStudy(aStudy({ seed: 2 })), 'study_exists');
    }));

    test('studies list in creation order', withStorage((storage) => {
      const ids = ['b', 'a', 'c'];
      for (const id of ids) storage.createStudy(aStudy({ id }));
      storage.createStudy(aStudy({ id: 'early', createdAt: '2026-01-01T00:00:00.000Z' }));
      assert.deepEqual(storage.listStudies().map((s) => s.id), ['early', ...ids]);
    }));

    test('a started trial is running with its params and start time', withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.startTrial('resnet-c8-bo-1', 0, someParams);
      assert.deepEqual(storage.trials('resnet-c8-bo-1'), [
        { studyId: 'resnet-c8-bo-1', number: 0, state: 'running', params: someParams, startedAt: '2026-11-26T01:00:01.000Z' },
      ]);
    }));

    test('params of every kind round-trip exactly', withStorage((storage) => {
      storage.createStudy(aStudy());
      const params = { ...someParams, cpus: 0.3333333333333333, custom_knob: 'x"y', big: 2 ** 40 };
      storage.startTrial('resnet-c8-bo-1', 0, params);
      assert.deepEqual(storage.trials('resnet-c8-bo-1')[0]?.params, params);
    }));

    test('trials start only in an existing study, once per number', withStorage((storage) => {
      assertStorageError(() => storage.startTrial('ghost', 0, someParams), 'study_not_found');
      storage.createStudy(aStudy());
      storage.startTrial('resnet-c8-bo-1', 0, someParams);
      assertStorageError(() => storage.startTrial('resnet-c8-bo-1', 0, someParams), 'trial_exists');
    }));

    test('a finished trial carries its outcome and finish time', withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.startTrial('resnet-c8-bo-1', 0, someParams);
      const metrics = someMetrics();
      storage.finishTrial('resnet-c8-bo-1', 0, { state: 'complete', metrics, objectiveValue: 42.5, deploySeconds: 7.5 });
      assert.deepEqual(storage.trials('resnet-c8-bo-1'), [
        {
          studyId: 'resnet-c8-bo-1',
          number: 0,
          state: 'complete',
          params: someParams,
          metrics,
          objectiveValue: 42.5,
          deploySeconds: 7.5,
          startedAt: '2026-11-26T01:00:01.000Z',
          finishedAt: '2026-11-26T01:00:02.000Z',
        },
      ]);
    }));

    test('a cluster study keeps its backend and parallelism, and each trial the nodes it ran on', withStorage((storage) => {
      const study = aStudy({ backend: 'swarm', parallel: 3 });
      storage.createStudy(study);
      assert.deepEqual(storage.getStudy(study.id), study);
      storage.startTrial(study.id, 0, someParams);
      storage.finishTrial(study.id, 0, { state: 'complete', metrics: someMetrics(), objectiveValue: 1, nodes: ['node-a', 'node-b'], readyAt: '2026-11-26T01:00:01.500Z' });
      assert.deepEqual(storage.trials(study.id)[0]?.nodes, ['node-a', 'node-b']);
      assert.equal(storage.trials(study.id)[0]?.readyAt, '2026-11-26T01:00:01.500Z');
    }));

    test('a confirming study keeps its contender count, and a confirmation trial what it confirms and in which round', withStorage((storage) => {
      const study = aStudy({ confirm: 3 });
      storage.createStudy(study);
      assert.deepEqual(storage.getStudy(study.id), study);
      storage.startTrial(study.id, 0, someParams);
      storage.startTrial(study.id, 1, someParams, { confirms: 0, round: 2 });
      storage.finishTrial(study.id, 1, { state: 'complete', metrics: someMetrics(), objectiveValue: 1 });
      const [search, confirmation] = storage.trials(study.id);
      assert.equal(search?.kind, undefined, 'a search trial carries no kind');
      assert.deepEqual([confirmation?.kind, confirmation?.confirms, confirmation?.round, confirmation?.state], ['confirmation', 0, 2, 'complete']);
    }));

    test('a study keeps the workload file it replays, its sha256, the API it speaks and its input shapes', withStorage((storage) => {
      const study = aStudy({ workload: { file: 'traffic/ocr.jsonl', sha256: 'ab'.repeat(32) }, api: 'v2', inputShapes: { x: [3, 48, 192] } });
      storage.createStudy(study);
      assert.deepEqual(storage.getStudy(study.id), study);
      const plain = aStudy({ id: 'plain' });
      storage.createStudy(plain);
      const read = storage.getStudy('plain');
      assert.deepEqual([read?.workload, read?.api, read?.inputShapes], [undefined, undefined, undefined], 'the generated workload over v1 carries none of them');
    }));

    test('a failed trial keeps its reason, with or without metrics', withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.startTrial('resnet-c8-bo-1', 0, someParams);
      storage.startTrial('resnet-c8-bo-1', 1, someParams);
      storage.finishTrial('resnet-c8-bo-1', 0, { state: 'failed', failureKind: 'oom_killed', failureMessage: 'replica 1 was OOM-killed' });
      storage.finishTrial('resnet-c8-bo-1', 1, {
        state: 'failed',
        failureKind: 'slo_violated',
        failureMessage: 'p99 300 ms > 250 ms',
        metrics: someMetrics({ p99Ms: 300, energySource: 'rapl' }),
        objectiveValue: Number.POSITIVE_INFINITY,
      });
      const [oom, slo] = storage.trials('resnet-c8-bo-1');
      assert.equal(oom?.failureKind, 'oom_killed');
      assert.equal(oom?.failureMessage, 'replica 1 was OOM-killed');
      assert.equal(oom?.metrics, undefined);
      assert.equal(oom?.objectiveValue, undefined);
      assert.equal(slo?.metrics?.p99Ms, 300);
      assert.equal(slo?.metrics?.energySource, 'rapl');
      assert.equal(slo?.objectiveValue, Number.POSITIVE_INFINITY);
    }));

    test('only a running trial can be finished', withStorage((storage) => {
      storage.createStudy(aStudy());
      assertStorageError(() => storage.finishTrial('resnet-c8-bo-1', 0, { state: 'complete' }), 'trial_not_found');
      storage.startTrial('resnet-c8-bo-1', 0, someParams);
      storage.finishTrial('resnet-c8-bo-1', 0, { state: 'interrupted', failureKind: 'interrupted' });
      assertStorageError(() => storage.finishTrial('resnet-c8-bo-1', 0, { state: 'complete' }), 'trial_not_running');
      assert.equal(storage.trials('resnet-c8-bo-1')[0]?.state, 'interrupted');
    }));

    test('trials come back ordered by number, per study', withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.createStudy(aStudy({ id: 'other' }));
      for (const n of [2, 0, 3, 1]) storage.startTrial('resnet-c8-bo-1', n, { ...someParams, replicas: n });
      storage.startTrial('other', 0, someParams);
      assert.deepEqual(storage.trials('resnet-c8-bo-1').map((t) => t.number), [0, 1, 2, 3]);
      assert.deepEqual(storage.trials('resnet-c8-bo-1').map((t) => t.params['replicas']), [0, 1, 2, 3]);
      assert.equal(storage.trials('other').length, 1);
      assert.deepEqual(storage.trials('ghost'), []);
    }));

    test('a histogram round-trips sorted by bucket bound, and is empty when none was stored', withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.startTrial('resnet-c8-bo-1', 0, someParams);
      storage.startTrial('resnet-c8-bo-1', 1, someParams);
      const histogram = [
        { upperMs: 20, count: 3 },
        { upperMs: 5, count: 10 },
        { upperMs: 10.5, count: 0 },
      ];
      storage.finishTrial('resnet-c8-bo-1', 0, { state: 'complete', metrics: someMetrics(), histogram });
      assert.deepEqual(storage.histogram('resnet-c8-bo-1', 0), [histogram[1], histogram[2], histogram[0]]);
      assert.deepEqual(storage.histogram('resnet-c8-bo-1', 1), []);
      assert.deepEqual(storage.histogram('ghost', 0), []);
    }));

    test('a malformed histogram is refused and the trial stays running', withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.startTrial('resnet-c8-bo-1', 0, someParams);
      const twice = [{ upperMs: 5, count: 1 }, { upperMs: 5, count: 2 }];
      assertStorageError(() => storage.finishTrial('resnet-c8-bo-1', 0, { state: 'complete', histogram: twice }), 'invalid_histogram');
      const negative = [{ upperMs: 5, count: -1 }];
      assertStorageError(() => storage.finishTrial('resnet-c8-bo-1', 0, { state: 'complete', histogram: negative }), 'invalid_histogram');
      assert.equal(storage.trials('resnet-c8-bo-1')[0]?.state, 'running');
    }));

    test('records handed out are copies', withStorage((storage) => {
      const study = aStudy();
      storage.createStudy(study);
      (study.host as { cpus: number }).cpus = 99;
      const read = storage.getStudy(study.id);
      assert.equal(read?.host.cpus, 2);
      (read?.host as { cpus: number }).cpus = 77;
      assert.equal(storage.getStudy(study.id)?.host.cpus, 2);
    }));

    const first = { host: 'h1', pid: 100 };
    const second = { host: 'h1', pid: 200 };
    const alive = () => true;
    const gone = () => false;

    test('a study is claimed by one live runner at a time', withStorage((storage) => {
      storage.createStudy(aStudy());
      assert.deepEqual(storage.claimStudy('resnet-c8-bo-1', first, alive), { ok: true });
      assert.deepEqual(storage.claimStudy('resnet-c8-bo-1', first, alive), { ok: true }, 'the holder may claim again');
      const refused = storage.claimStudy('resnet-c8-bo-1', second, alive);
      assert.equal(refused.ok, false);
      assert.deepEqual(refused.ok ? undefined : refused.holder, first);
      assert.match(refused.ok ? '' : refused.since, /^\d{4}-\d\d-\d\dT/);
    }));

    test("a dead runner's claim is taken over, and the liveness check is asked about the holder", withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.claimStudy('resnet-c8-bo-1', first, alive);
      const asked: unknown[] = [];
      assert.deepEqual(storage.claimStudy('resnet-c8-bo-1', second, (holder) => (asked.push(holder), false)), { ok: true });
      assert.deepEqual(asked, [first]);
      assert.equal(storage.claimStudy('resnet-c8-bo-1', first, alive).ok, false, 'now the second runner holds it');
    }));

    test('only the holder releases a claim', withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.claimStudy('resnet-c8-bo-1', first, alive);
      storage.releaseStudy('resnet-c8-bo-1', second);
      assert.equal(storage.claimStudy('resnet-c8-bo-1', second, alive).ok, false);
      storage.releaseStudy('resnet-c8-bo-1', first);
      assert.deepEqual(storage.claimStudy('resnet-c8-bo-1', second, gone), { ok: true });
    }));

    test('claims are per study, and an unknown study cannot be claimed', withStorage((storage) => {
      storage.createStudy(aStudy());
      storage.createStudy(aStudy({ id: 'other' }));
      storage.claimStudy('resnet-c8-bo-1', first, alive);
      assert.deepEqual(storage.claimStudy('other', second, alive), { ok: true });
      assertStorageError(() => storage.claimStudy('ghost', first, alive), 'study_not_found');
    }));
  });
}
