import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServerMetrics } from '../../../src/server/metrics.ts';

/** Sample lines of the text format: name, optional {labels}, a number. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"\})? (-?[0-9.e+-]+|\+Inf|NaN)$/;

describe('ServerMetrics', () => {
  test('renders valid Prometheus text with HELP/TYPE before each family', () => {
    const metrics = new ServerMetrics();
    metrics.requests.inc('200', 3);
    metrics.requests.inc('503');
    metrics.batchSize.observe(4);
    metrics.batchSize.observe(16);
    metrics.requestSeconds.observe(0.003);
    metrics.queueDepth.set(7);
    const text = metrics.render();
    assert.ok(text.endsWith('\n'));
    const seenTypes = new Set<string>();
    for (const line of text.trimEnd().split('\n')) {
      const typed = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
      if (typed) seenTypes.add(typed[1]!);
      if (line.startsWith('#')) continue;
      const sample = SAMPLE.exec(line);
      assert.ok(sample, `not a sample line: ${line}`);
      const family = sample[1]!.replace(/_(bucket|sum|count)$/, '');
      assert.ok(seenTypes.has(family) || seenTypes.has(sample[1]!), `${line} comes before its TYPE`);
    }
    assert.match(text, /^tune_http_requests_total\{code="200"\} 3$/m);
    assert.match(text, /^tune_http_requests_total\{code="503"\} 1$/m);
    assert.match(text, /^tune_batch_queue_depth 7$/m);
  });

  test('histogram buckets are cumulative and end at the count', () => {
    const metrics = new ServerMetrics();
    for (const size of [1, 3, 3, 20, 500]) metrics.batchSize.observe(size);
    const text = metrics.render();
    const bucket = (le: string) => Number(new RegExp(`^tune_batch_size_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    assert.equal(bucket('1'), 1);
    assert.equal(bucket('4'), 3);
    assert.equal(bucket('32'), 4);
    assert.equal(bucket('128'), 4);
    assert.equal(bucket('+Inf'), 5);
    assert.match(text, /^tune_batch_size_sum 527$/m);
    assert.match(text, /^tune_batch_size_count 5$/m);
  });
});
