import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { median, quantile } from 'simple-statistics';
import { chineseSentence } from '../../../src/load/workloads/chinese-sentences.ts';
import { workloadFor, type Workload } from '../../../src/load/workloads/index.ts';
import { uniformSource } from '../../../src/random/rng.ts';
import { tweet } from '../../../src/load/workloads/tweets.ts';

function built(model: Parameters<typeof workloadFor>[0], options: Parameters<typeof workloadFor>[1] = {}): Workload {
  const outcome = workloadFor(model, options);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  return outcome.workload;
}

function instancesOf(body: string): unknown[] {
  return (JSON.parse(body) as { instances: unknown[] }).instances;
}

function share(values: number[], low: number, high: number): number {
  return values.filter((value) => value >= low && value <= high).length / values.length;
}

describe('built-in workloads', () => {
  test('are the same for the same seed and differ for another', () => {
    const draw = (seed: number): string[] => {
      const workload = built('marian', { seed });
      return Array.from({ length: 20 }, () => workload.bodies());
    };
    assert.deepEqual(draw(4), draw(4));
    assert.notDeepEqual(draw(4), draw(5));
  });

  test('marian sentences have Tatoeba-like lengths in Chinese characters', () => {
    const random = uniformSource(9);
    const sentences = Array.from({ length: 2000 }, () => chineseSentence(random));
    const lengths = sentences.map((sentence) => [...sentence].length);
    assert.ok(share(lengths, 5, 20) >= 0.75, `share 5–20: ${share(lengths, 5, 20)}`);
    assert.ok(median(lengths) >= 8 && median(lengths) <= 14, `median ${median(lengths)}`);
    assert.ok(Math.max(...lengths) <= 60 && quantile(lengths, 0.99) > 25, `p99 ${quantile(lengths, 0.99)}`);
    assert.ok(sentences.every((sentence) => /^[\u4e00-\u9fff，。？！]+$/.test(sentence)));
  });

  test('bert texts are tweet-length English with the odd hashtag, mention or emoji', () => {
    const random = uniformSource(9);
    const texts = Array.from({ length: 2000 }, () => tweet(random));
    const words = texts.map((text) => text.split(' ').length);
    assert.ok(share(words, 10, 30) >= 0.7, `share 10–30: ${share(words, 10, 30)}`);
    assert.ok(Math.max(...words) <= 60);
    for (const marker of [/#\w/, /@\w/, /\p{Extended_Pictographic}/u]) {
      const withMarker = texts.filter((text) => marker.test(text)).length / texts.length;
      assert.ok(withMarker > 0.1 && withMarker < 0.5, `${marker}: ${withMarker}`);
    }
  });

  test('text bodies carry {"text"} instances, as many as asked per request', () => {
    const body = built('bert', { instancesPerRequest: 3 }).bodies();
    const instances = instancesOf(body) as { text: string }[];
    assert.equal(instances.length, 3);
    assert.ok(instances.every((instance) => typeof instance.text === 'string' && instance.text.length > 0));
  });

  test('gan images are 32×32×3 values in 0..1 with 3 decimals', () => {
    const [image] = instancesOf(built('gan').bodies()) as number[][][][];
    assert.equal(image?.length, 32);
    assert.equal(image?.[0]?.length, 32);
    const values = (image ?? []).flat(2);
    assert.equal(values.length, 32 * 32 * 3);
    assert.ok(values.every((value) => value >= 0 && value <= 1 && Math.round(value * 1000) === value * 1000));
  });

  test('resnet images are 224×224×3 with smooth structure; a manifest with its shape works too', () => {
    const workload = built({ kind: 'classifier-image', instanceShape: [224, 224, 3] });
    const [image] = instancesOf(workload.bodies()) as number[][][][];
    const values = (image ?? []).flat(2);
    assert.equal(values.length, 224 * 224 * 3);
    assert.ok(values.every((value) => value >= 0 && value <= 1));
    // Neighbouring pixels of an upscaled picture differ little.
    const row = image?.[100] ?? [];
    const steps = row.slice(1).map((pixel, x) => Math.abs((pixel[0] ?? 0) - (row[x]?.[0] ?? 0)));
    assert.ok(median(steps) < 0.02, `median step ${median(steps)}`);
    assert.notEqual(workload.bodies(), workload.bodies());
  });

  test('an unknown model is a one-line error', () => {
    const outcome = workloadFor('llama');
    assert.equal(outcome.ok ? '' : outcome.error.code, 'unknown_model');
  });
});

describe('a user workload file', () => {
  const reading = (text: string) => (path: string) => (path === 'w.jsonl' ? text : '');

  test('one instance per line, blank lines skipped, cycled into bodies', () => {
    const workload = built('marian', { file: 'w.jsonl', readText: reading('{"text":"你好"}\n\n{"text":"谢谢"}\n'), instancesPerRequest: 2 });
    assert.deepEqual(instancesOf(workload.bodies()), [{ text: '你好' }, { text: '谢谢' }]);
  });

  test('names the bad line, an empty file and an unreadable one', () => {
    const bad = workloadFor('marian', { file: 'w.jsonl', readText: reading('{"text":"a"}\n{"text":\n') });
    assert.equal(bad.ok ? '' : bad.error.code, 'workload_bad_line');
    assert.match(bad.ok ? '' : bad.error.message, /line 2/);
    const empty = workloadFor('marian', { file: 'w.jsonl', readText: reading('\n  \n') });
    assert.equal(empty.ok ? '' : empty.error.code, 'workload_empty');
    const missing = workloadFor('marian', { file: '/nonexistent/w.jsonl' });
    assert.equal(missing.ok ? '' : missing.error.code, 'workload_unreadable');
    assert.doesNotMatch(missing.ok ? '' : missing.error.message, /\n/);
  });
});
