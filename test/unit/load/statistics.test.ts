import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BatchMeans } from '../../../src/load/batch-means.ts';
import { LatencyRecorder } from '../../../src/load/latency-recorder.ts';
import { bucketUpper, LogBuckets } from '../../../src/load/log-buckets.ts';
import { tQuantile975 } from '../../../src/load/t-quantile.ts';
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
    const expected = 12.706 * (Math.SQRT2 / Math.sqrt(2));
    assert.ok(Math.abs(batches.ci95HalfWidth() - expected) < 1e-9);
  });

  test('t quantiles fall towards 1.96', () => {
    assert.equal(tQuantile975(9), 2.262);
    assert.ok(tQuantile975(19) > tQuantile975(39));
    assert.equal(tQuantile975(1000), 1.96);
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
