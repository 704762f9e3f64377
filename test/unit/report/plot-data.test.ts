import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { concurrencyPoints } from '../../../src/report/concurrency-scaling.ts';
import { parameterEffectsSpec, parameterPoints } from '../../../src/report/parameter-effects.ts';
import { plotSpecs } from '../../../src/report/plots.ts';
import { modelSlug } from '../../../src/study/study-name.ts';
import { bestTrialPerConcurrency, cumulativeDistribution } from '../../../src/report/rtt-distribution.ts';
import { tradeoffPoints } from '../../../src/report/tradeoffs.ts';
import { wholeNumberParameters } from '../../../src/report/whole-numbers.ts';
import { means, studyWith } from './fixtures.ts';

describe('plot data', () => {
  test('parameter points: one per parameter and trial, failed trials marked above the highest latency', () => {
    const study = studyWith({}, [
      { meanMs: 10, params: { replicas: 1, precision: 'fp32' } },
      { failure: 'oom_killed', params: { replicas: 4, precision: 'int8' } },
      { meanMs: 20, params: { replicas: 2, precision: 'int8' } },
    ]);
    const points = parameterPoints([study]);
    assert.deepEqual(
      points.filter((p) => p.param === 'replicas').map((p) => [p.value, p.latencyMs, p.outcome]),
      [[1, 10, 'complete'], [4, 22, 'failed'], [2, 20, 'complete']],
    );
    assert.deepEqual(points.filter((p) => p.param === 'precision').map((p) => p.value), ['fp32', 'int8', 'int8']);
  });

  test('concurrency points: best mean per strategy and level over all seeds, with the baseline', () => {
    const points = concurrencyPoints([
      studyWith({ id: 'a', strategy: 'bo', concurrency: 1 }, means(12, 8, null)),
      studyWith({ id: 'b', strategy: 'bo', concurrency: 1, seed: 2 }, means(11, 9)),
      studyWith({ id: 'c', strategy: 'bo', concurrency: 16 }, means(90, 70)),
      studyWith({ id: 'd', strategy: 'random', concurrency: 1 }, means(null, 10)),
    ]);
    assert.deepEqual(points.map(({ tip: _, ...point }) => point), [
      { strategy: 'bo', concurrency: 1, bestMs: 8, baselineMs: 11 },
      { strategy: 'bo', concurrency: 16, bestMs: 70, baselineMs: 90 },
      { strategy: 'random', concurrency: 1, bestMs: 10 },
    ]);
    assert.equal(points[0]!.tip.trial, '#1 of a', 'the tooltip is the best trial\'s');
  });

  test('the baseline of a concurrency point is the first measured trial, not trial 0', () => {
    const interrupted = studyWith({ id: 'e', strategy: 'random', concurrency: 16 }, [{ failure: 'interrupted' }, { meanMs: 50 }, { meanMs: 30 }]);
    assert.deepEqual(concurrencyPoints([interrupted]).map(({ tip: _, ...point }) => point), [{ strategy: 'random', concurrency: 16, bestMs: 30, baselineMs: 50 }]);
  });

  test('parameter charts: an integer knob gets whole-number ticks, a float knob does not', () => {
    const study = studyWith({}, [1, 2, 4].map((replicas, i) => ({ meanMs: 10 + i, params: { replicas, cpus: 0.5 * (i + 1) } })));
    const spec = parameterEffectsSpec(parameterPoints([study]), 'Parameters', wholeNumberParameters([study])) as { concat: { encoding: { x: { axis?: unknown } } }[] };
    assert.deepEqual(spec.concat.map((view) => view.encoding.x.axis), [{ format: 'd', tickMinStep: 1, values: [1, 2, 4] }, undefined]);
  });

  test('whole numbers come from the stored space\'s kinds: int and pow2 are whole, a float is not even when its values are', () => {
    const document = {
      parameters: [
        { name: 'replicas', kind: 'int', low: 1, high: 4, default: 1 },
        { name: 'cpus', kind: 'float', low: 1, high: 4, step: 1, default: 1 },
        { name: 'max_batch_size', kind: 'pow2', low: 1, high: 64, default: 1 },
        { name: 'precision', kind: 'categorical', choices: ['fp32', 'int8'], default: 'fp32' },
      ],
    };
    const space = { origin: 'space.json', document, pinned: { precision: 'int8' } };
    const params = (replicas: number) => ({ replicas, cpus: 2, max_batch_size: 8, precision: 'int8' });
    const stored = studyWith({ space }, [{ meanMs: 10, params: params(1) }, { meanMs: 12, params: params(3) }]);
    assert.deepEqual([...wholeNumberParameters([stored])].sort(), ['max_batch_size', 'replicas']);
    // Without a readable space (the fixture's default stores none), the values decide.
    assert.deepEqual([...wholeNumberParameters([studyWith({}, [{ meanMs: 10, params: params(1) }])])].sort(), ['cpus', 'max_batch_size', 'replicas']);
  });

  test('every point of a trial carries its configuration and measurements for the tooltip, energy with its source', () => {
    const study = studyWith({ id: 'tipped' }, [{ meanMs: 10, params: { replicas: 2, precision: 'int8' } }]);
    assert.deepEqual(parameterPoints([study])[0]!.tip, {
      trial: '#0 of tipped', state: 'complete', replicas: 2, precision: 'int8',
      'mean latency (ms)': '10 ± 1.25', 'p50 latency (ms)': '40', 'p99 latency (ms)': '20', 'throughput (req/s)': '188', errors: 3,
      'cost (USD/M req)': '72.6', 'energy (J/req), estimated from CPU time and reserved CPUs and memory': '0.108', 'peak memory (MB)': '734',
    });
    const rapl = studyWith({ id: 'rapl' }, [{ meanMs: 10, overrides: { energySource: 'rapl' } }]);
    assert.equal(tradeoffPoints([rapl], 'energy')[0]!.tip['energy (J/req), measured by RAPL'], '0.108');
  });

  test('trade-off points: the Pareto front of latency against cost', () => {
    const cost = (meanMs: number, usd: number) => ({ meanMs, overrides: { usdPerMillionRequests: usd } });
    const study = studyWith({}, [cost(10, 50), cost(20, 30), cost(25, 40), cost(40, 10), { failure: 'crashed' }, cost(45, 10)]);
    const points = tradeoffPoints([study], 'cost');
    assert.deepEqual(points.map((p) => [p.trial, p.onFront]), [[0, true], [1, true], [2, false], [3, true], [5, false]]);
  });

  test('RTT distribution: cumulative fractions of the best trial per concurrency level', () => {
    const histogram = [{ upperMs: 10, count: 1 }, { upperMs: 5, count: 3 }, { upperMs: Number.POSITIVE_INFINITY, count: 4 }];
    assert.deepEqual(cumulativeDistribution(8, histogram), [
      { concurrency: 8, upperMs: 5, cumulativeFraction: 0.375 },
      { concurrency: 8, upperMs: 10, cumulativeFraction: 0.5 },
    ]);
    assert.deepEqual(cumulativeDistribution(8, []), []);
    const refs = bestTrialPerConcurrency([
      studyWith({ id: 'a', concurrency: 8 }, means(30, 20)),
      studyWith({ id: 'b', concurrency: 8 }, means(25)),
      studyWith({ id: 'c', concurrency: 1 }, means(null, 9)),
    ]);
    assert.deepEqual(refs, [{ studyId: 'c', number: 1, concurrency: 1 }, { studyId: 'a', number: 1, concurrency: 8 }]);
  });

  test('plot list: per load level convergence by trial and by time, parameters and fronts; per model scaling and RTT', () => {
    const studies = [
      studyWith({ id: 'a', concurrency: 1, model: './models/My Model.onnx' }, means(10, 9)),
      studyWith({ id: 'b', concurrency: 8, model: './models/My Model.onnx' }, means(30, 20)),
    ];
    const names = plotSpecs(studies, () => [{ upperMs: 5, count: 1 }]).map((p) => p.name);
    assert.deepEqual(names, [
      'my-model-c1-convergence', 'my-model-c1-convergence-time', 'my-model-c1-parameters', 'my-model-c1-latency-cost', 'my-model-c1-latency-energy',
      'my-model-c8-convergence', 'my-model-c8-convergence-time', 'my-model-c8-parameters', 'my-model-c8-latency-cost', 'my-model-c8-latency-energy',
      'my-model-concurrency', 'my-model-rtt',
    ]);
    assert.equal(modelSlug('resnet50'), 'resnet50');
    assert.equal(modelSlug('///'), 'model');
  });
});
