import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Deployment, ResourceUsage } from '../../../src/deploy/backend.ts';
import type { ClosedLoopOptions, LoadOutcome, LoadResult } from '../../../src/load/types.ts';
import { createDeploymentMeasurement } from '../../../src/study/deployment-measurement.ts';

const deployment: Deployment = {
  spec: {} as Deployment['spec'],
  endpoints: [
    { replica: 0, url: 'http://127.0.0.1:9001', containerId: 'a' },
    { replica: 1, url: 'http://127.0.0.1:9002', containerId: 'b' },
  ],
  startedAt: 0,
  readyAt: 0,
};
const usage: ResourceUsage = { cpuSeconds: 3, peakMemoryBytes: 1, perReplica: [] };
const result = { durationS: 5 } as LoadResult;
const settings = { path: '/v1/models/gan:predict', concurrency: 4, warmupS: 2, durationS: 5, requestTimeoutMs: 1000, bodies: () => '{}' };

describe('deployment measurement', () => {
  test('warms up first, then counts resources only over the measured window', async () => {
    const calls: string[] = [];
    const runs: ClosedLoopOptions[] = [];
    const measure = createDeploymentMeasurement(
      {
        backend: { startUsage: async () => (calls.push('startUsage'), async () => (calls.push('readUsage'), usage)) },
        runLoad: async (options): Promise<LoadOutcome> => (calls.push(`load ${options.durationS}s`), runs.push(options), { ok: true, result }),
        startEnergyMeter: () => (calls.push('startEnergy'), () => 42),
      },
      settings,
    );
    const measured = await measure(deployment, new AbortController().signal);
    assert.deepEqual(calls, ['load 2s', 'startUsage', 'startEnergy', 'load 5s', 'readUsage']);
    assert.deepEqual(runs[1]?.urls, ['http://127.0.0.1:9001', 'http://127.0.0.1:9002']);
    assert.equal(runs[1]?.warmupS, 0);
    assert.deepEqual(measured, { load: result, usage, raplJoules: 42 });
  });

  test('an aborted load run rejects as an AbortError', async () => {
    const measure = createDeploymentMeasurement(
      {
        backend: { startUsage: async () => async () => usage },
        runLoad: async () => ({ ok: false, error: { code: 'load_aborted', message: 'cancelled' } }),
      },
      { ...settings, warmupS: 0 },
    );
    await assert.rejects(measure(deployment, new AbortController().signal), { name: 'AbortError' });
  });
});
