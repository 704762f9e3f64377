import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createSampler, SAMPLER_NAMES, type SamplerName } from '../../../src/samplers/factory.ts';
import { isValidConfiguration, parseSearchSpace, unwrapSpace, type Params } from '../../../src/space/index.ts';
import { Study } from '../../../src/study/study.ts';

const DEFAULT_DOCUMENT = JSON.parse(readFileSync('search-spaces/default.json', 'utf8'));

/** Fails when memory is short for the batch (like an OOM kill); otherwise a made-up latency. */
function objective(params: Params): number | { failed: string } {
  const memory = params['memory_mb'] as number;
  const batch = params['max_batch_size'] as number;
  if (memory < 300 + 20 * batch) return { failed: 'oom_killed' };
  return 10 / ((params['replicas'] as number) * (params['cpus'] as number)) + batch / 8 + (params['batch_timeout_us'] as number) / 5000;
}

/** Trials per study and studies per sampler: the GP is slower, so it runs fewer. */
const RUNS: Record<SamplerName, { trials: number; studies: number }> = {
  bo: { trials: 10, studies: 3 },
  random: { trials: 30, studies: 40 },
  grid: { trials: 30, studies: 25 },
  lhs: { trials: 30, studies: 20 },
};

describe('samplers never propose a configuration that breaks a constraint', () => {
  for (const name of SAMPLER_NAMES) {
    test(name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(1, 1.5, 2, 3), (seed, hostCores) => {
          const space = unwrapSpace(parseSearchSpace(DEFAULT_DOCUMENT, 'default.json', { host_cores: hostCores }));
          const { trials } = RUNS[name];
          const study = new Study({ space, sampler: createSampler(name, { budget: trials, seed, initialTrials: 4 }), seed });
          for (let i = 0; i < trials; i++) {
            const { number, params } = study.ask();
            assert.ok(isValidConfiguration(space, params), `trial ${i} with host_cores ${hostCores}: ${JSON.stringify(params)}`);
            study.tell(number, objective(params));
          }
        }),
        { numRuns: RUNS[name].studies },
      );
    });
  }
});
