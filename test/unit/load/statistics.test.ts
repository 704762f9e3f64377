import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BatchMeans } from '../../../src/load/batch-means.ts';
import { LatencyRecorder } from '../../../src/load/latency-recorder.ts';
import { bucketUpper, LogBuckets } from '../../../src/load/log-buckets.ts';
import { tQuantile } from '../../../src/load/t-quantile.ts';
import { uniformSource } from '../../../src/random/rng.ts';

function noisy(random: () => number): number {
  return 20 + (random() - 0.5) * 10;
}

describe('batch means', () => {
  test('the CI half-width shrinks as samples grow', () => {
    const random = uniformSource(5);
    const widths = [200, 2000, 20000].map((count) => {
      const batches = new BatchMeans(10);
      for (let i = 0; i < count; i += 1) batches.add(noisy(random));
      return batches.ci95HalfWidth();
    });
    assert.ok(widths[0]! > widths[1]! && widths[1]! > widths[2]!, widths.join(' > '));
    assert.ok(widths[2]! < 0.15);
  });

  test('keeps between 10 and 20 full batches however many samples arrive', () => {
    for (const count of [20, 137, 5000, 65536]) {
      const batches = new BatchMeans(10);
      for (let i = 0; i < count; i += 1) batches.add(i);
      assert.ok(batches.fullBatches >= 10 && batches.fullBatches < 20, `${count}: ${batches.fullBatches}`);
    }
  });

  test('matches the textbook formula on known batches', () => {
    const batches = new BatchMeans(2);
    // With minBatches 2, four values of batch size 1 merge into two batches of two: means 1.5 and 3.5.
    [1, 2, 3, 4].forEach((value) => batches.add(value));
    assert.equal(batches.fullBatches, 2);
    const standardError = Math.SQRT2 / Math.sqrt(2);
    assert.ok(Math.abs(batches.standardError() - standardError) < 1e-12);
    assert.ok(Math.abs(batches.ci95HalfWidth() - 12.706204736174698 * standardError) < 1e-9);
  });

  test('has no standard error or interval with fewer than two full batches', () => {
    const batches = new BatchMeans(10);
    batches.add(5);
    assert.equal(batches.fullBatches, 1);
    assert.ok(Number.isNaN(batches.standardError()));
    assert.ok(Number.isNaN(batches.ci95HalfWidth()));
  });
});

describe('Student t quantiles', () => {
  // Standard tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), to their 3 decimals.
  const TABLE_975: Record<number, number> = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201,
    12: 2.179, 13: 2.16, 14: 2.145, 15: 2.131, 16: 2.12, 17: 2.11, 18: 2.101, 19: 2.093, 20: 2.086, 25: 2.06, 30: 2.042,
    40: 2.021, 60: 2.0, 120: 1.98,
  };
  const TABLE_99: Record<number, number> = {
    1: 31.821, 2: 6.965, 3: 4.541, 4: 3.747, 5: 3.365, 6: 3.143, 7: 2.998, 8: 2.896, 9: 2.821, 10: 2.764, 11: 2.718,
    12: 2.681, 13: 2.65, 14: 2.624, 15: 2.602, 16: 2.583, 17: 2.567, 18: 2.552, 19: 2.539, 20: 2.528, 25: 2.485, 30: 2.457,
    40: 2.423, 60: 2.39, 120: 2.358,
  };

  for (const [probability, table] of [[0.975, TABLE_975], [0.99, TABLE_99]] as const) {
    test(`match the ${probability} table to three decimals`, () => {
      for (const [df, expected] of Object.entries(table)) {
        assert.equal(Math.round(tQuantile(probability, Number(df)) * 1000) / 1000, expected, `df ${df}`);
      }
    });
  }

  test('are exact where closed forms exist (df 1 and 2)', () => {
    for (const probability of [0.6, 0.9, 0.975, 0.99, 0.999]) {
      const df1 = Math.tan(Math.PI * (probability - 0.5));
      assert.ok(Math.abs(tQuantile(probability, 1) - df1) < 1e-12 * df1, `p ${probability}`);
      const df2 = (2 * probability - 1) / Math.sqrt(2 * probability * (1 - probability));
      assert.ok(Math.abs(tQuantile(probability, 2) - df2) < 1e-12 * df2, `p ${probability}`);
    }
  });

  test('fall towards the normal quantile, are symmetric and reject what has no quantile', () => {
    assert.ok(Math.abs(tQuantile(0.99, 5000) - 2.3263) < 0.001);
    assert.ok(Math.abs(tQuantile(0.975, 5000) - 1.96) < 0.001);
    assert.ok(tQuantile(0.99, 19) > tQuantile(0.99, 39));
    assert.equal(tQuantile(0.01, 9), -tQuantile(0.99, 9));
    assert.equal(tQuantile(0.99, 9.7), tQuantile(0.99, 9)); // a fractional df rounds down: the wider interval
    const undefinedAt: [number, number][] = [[0.99, 0], [0.99, Number.NaN], [0.99, Infinity], [1, 5], [0, 5], [Number.NaN, 5]];
    for (const [probability, df] of undefinedAt) assert.ok(Number.isNaN(tQuantile(probability, df)), `${probability}, ${df}`);
  });
});

describe('latency recorder', () => {
  test('summarises exactly where it can and within HDR precision elsewhere', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms += 1) recorder.recordSuccess(ms);
    recorder.recordError('http_503');
    const result = recorder.result(2);
    assert.equal(result.latency.mean, 50.5);
    assert.equal(result.latency.min, 1);
    assert.equal(result.latency.max, 100);
    assert.ok(Math.abs(result.latency.p50 - 50) < 0.1);
    assert.ok(Math.abs(result.latency.p99 - 99) < 0.1);
    assert.equal(result.completed, 100);
    assert.equal(result.throughputRps, 50);
    assert.deepEqual(result.errors, { http_503: 1 });
  });

  test('progress reports the window so far from running totals, agreeing with the result', () => {
    const recorder = new LatencyRecorder();
    const { meanMs, meanStandardErrorMs, ...counts } = recorder.progress(0);
    assert.deepEqual(counts, { elapsedS: 0, completed: 0, errors: 0, batches: 0 });
    assert.ok(Number.isNaN(meanMs) && Number.isNaN(meanStandardErrorMs));

    const random = uniformSource(3);
    for (let i = 0; i < 500; i += 1) recorder.recordSuccess(noisy(random));
    recorder.recordError('timeout');
    recorder.recordError('http_503');
    const progress = recorder.progress(1.5);
    const result = recorder.result(1.5);
    assert.equal(progress.elapsedS, 1.5);
    assert.equal(progress.completed, result.completed);
    assert.equal(progress.errors, 2);
    assert.equal(progress.meanMs, result.latency.mean);
    assert.ok(progress.batches >= 10 && progress.batches < 20, `${progress.batches} batches`);
    // The interval is the t quantile times the same standard error.
    assert.ok(Math.abs(result.latency.meanCi95 - tQuantile(0.975, progress.batches - 1) * progress.meanStandardErrorMs) < 1e-12);
  });

  test('log buckets are ten per decade and hold their upper edge', () => {
    assert.equal(bucketUpper(20), 1);
    assert.equal(bucketUpper(30), 10);
    const buckets = new LogBuckets();
    [1, 1.2, 10, 10].forEach((value) => buckets.add(value));
    const listed = buckets.buckets();
    assert.equal(listed[0]?.upperMs, 1);
    assert.equal(listed[0]?.count, 1);
    assert.equal(listed.at(-1)?.upperMs, 10);
    assert.equal(listed.at(-1)?.count, 2);
    assert.equal(listed.reduce((sum, bucket) => sum + bucket.count, 0), 4);
  });
});
