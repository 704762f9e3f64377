import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TrialRecord } from '../../../src/domain/records.ts';
import type { Params } from '../../../src/space/params.ts';
import { paramsToSpec } from '../../../src/study/params-to-spec.ts';
import { costSamples, proposalCost } from '../../../src/study/proposal-cost.ts';
import { BASELINE_PARAMS } from '../../../src/study/params-to-spec.ts';

const toSpec = (params: Params, number: number) =>
  paramsToSpec(params, number, { studyId: 's', modelName: 'gan', modelDirFor: (p) => `/models/gan/${p}`, concurrency: 4, readyTimeoutMs: 1000 });

function trial(number: number, params: Params, deployMode: TrialRecord['deployMode'], deploySeconds: number): TrialRecord {
  return { studyId: 's', number, state: 'complete', params: { ...BASELINE_PARAMS, ...params }, deployMode, deploySeconds, startedAt: '2026-12-03T00:00:00.000Z' };
}

const TRIALS = [
  trial(0, { replicas: 1 }, 'fresh', 8),
  trial(1, { replicas: 3 }, 'fresh', 20),
  trial(2, { replicas: 3, max_batch_size: 8 }, 'reconfigured', 0.5),
  trial(3, { replicas: 3, intra_op_threads: 2 }, 'reloaded', 3),
];

describe('proposal cost', () => {
  test('each trial is a sample of its deploy mode; a kept deployment adds only the replicas beyond the one before', () => {
    assert.deepEqual(costSamples([...TRIALS, trial(4, { replicas: 4 }, 'reconfigured', 6)]).map((s) => [s.mode, s.added, s.seconds]), [
      ['fresh', 1, 8],
      ['fresh', 3, 20],
      ['reconfigured', 0, 0.5],
      ['reloaded', 0, 3],
      ['reconfigured', 1, 6],
    ]);
  });

  test('from a held deployment, a batching change is cheap, new threads dearer, another precision a fresh deploy', () => {
    const heldParams = { ...BASELINE_PARAMS, replicas: 3 };
    const held = { deployment: { spec: { ...toSpec(heldParams, 3), lane: 0 }, endpoints: [], startedAt: 0, readyAt: 0 }, params: heldParams };
    const cost = proposalCost({ warmupS: 3, durationS: 10 }, TRIALS, toSpec, held);
    const batching = cost.seconds({ ...heldParams, max_batch_size: 16 });
    const threads = cost.seconds({ ...heldParams, intra_op_threads: 1 });
    const int8 = cost.seconds({ ...heldParams, precision: 'int8' });
    assert.ok(batching < threads && threads < int8, `${batching} < ${threads} < ${int8}`);
    assert.ok(batching >= 13, 'every move also pays the warm-up and the window');
    assert.deepEqual(cost.deployed, heldParams);
  });

  test('with nothing held every move is fresh, priced by its replicas', () => {
    const cost = proposalCost({ warmupS: 3, durationS: 10 }, TRIALS, toSpec, undefined);
    assert.ok(cost.seconds({ ...BASELINE_PARAMS, replicas: 1 }) < cost.seconds({ ...BASELINE_PARAMS, replicas: 3 }));
    assert.equal(cost.deployed, undefined);
  });
});
