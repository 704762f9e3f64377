import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BASELINE_PARAMS, paramsToSpec, type SpecContext } from '../../../src/study/params-to-spec.ts';

const context: SpecContext = {
  studyId: 's',
  modelName: 'gan',
  modelDirFor: (precision) => `/cache/gan/${precision}`,
  concurrency: 100,
  readyTimeoutMs: 5000,
};

describe('paramsToSpec', () => {
  test('maps every parameter to its knob', () => {
    const spec = paramsToSpec(
      { replicas: 2, cpus: 1.5, memory_mb: 700.4, max_batch_size: 8, batch_timeout_us: 2000, intra_op_threads: 2, inter_op_threads: 1, execution_mode: 'parallel', graph_optimization_level: 'basic', precision: 'int8' },
      7,
      context,
    );
    assert.deepEqual(spec, {
      studyId: 's',
      trialNumber: 7,
      modelName: 'gan',
      modelDir: '/cache/gan/int8',
      replicas: 2,
      cpus: 1.5,
      memoryMb: 700,
      server: { maxBatchSize: 8, batchTimeoutUs: 2000, queueBound: 200, intraOpThreads: 2, interOpThreads: 1, executionMode: 'parallel', graphOptimizationLevel: 'basic', precision: 'int8' },
      readyTimeoutMs: 5000,
    });
  });

  test('a parameter the space leaves out takes the baseline value', () => {
    const spec = paramsToSpec({ replicas: 3 }, 1, { ...context, concurrency: 4 });
    assert.equal(spec.replicas, 3);
    assert.equal(spec.cpus, BASELINE_PARAMS.cpus);
    assert.equal(spec.server.maxBatchSize, 1);
    assert.equal(spec.server.queueBound, 64, 'never below the server default');
    assert.equal(spec.modelDir, '/cache/gan/fp32');
  });

  test('a value of the wrong type is refused with the parameter named', () => {
    assert.throws(() => paramsToSpec({ execution_mode: 'turbo' }, 0, context), /execution_mode must be one of sequential, parallel/);
    assert.throws(() => paramsToSpec({ cpus: 'two' }, 0, context), /cpus must be a number/);
  });
});
