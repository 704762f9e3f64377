import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Batcher, type BatchResult } from '../../../src/server/batcher.ts';
import { FakeClock, settle } from './fake-clock.ts';

/** A run function whose batches the test completes by hand. */
function manualRun() {
  const batches: { items: number[]; resolve: (out: string[]) => void; reject: (error: Error) => void }[] = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({ items, resolve, reject });
    });
  const finish = (index: number) => batches[index]!.resolve(batches[index]!.items.map((item) => `out-${item}`));
  return { batches, run, finish };
}

function setup(options: { maxBatchSize: number; timeoutUs: number; queueBound: number }) {
  const clock = new FakeClock();
  const manual = manualRun();
  const sizes: number[] = [];
  const batcher = new Batcher<number, string>({
    ...options,
    run: manual.run,
    clock,
    observer: { queueDepth: () => undefined, batchDone: (size) => sizes.push(size) },
  });
  return { clock, batcher, sizes, ...manual };
}

describe('Batcher', () => {
  test('runs a batch as soon as it reaches the maximum size, without waiting for the timeout', async () => {
    const { batcher, batches } = setup({ maxBatchSize: 3, timeoutUs: 1_000_000, queueBound: 100 });
    void batcher.submit([1]);
    void batcher.submit([2]);
    assert.equal(batches.length, 0);
    void batcher.submit([3]);
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0]!.items, [1, 2, 3]);
  });

  test('runs an under-full batch once the oldest request has waited the timeout', async () => {
    const { clock, batcher, batches } = setup({ maxBatchSize: 8, timeoutUs: 5000, queueBound: 100 });
    void batcher.submit([1]);
    clock.advance(3);
    void batcher.submit([2]);
    clock.advance(1.9);
    assert.equal(batches.length, 0);
    clock.advance(0.1);
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0]!.items, [1, 2]);
  });

  test('with timeout 0 runs on the next turn, and groups what arrives while a batch runs', async () => {
    const { clock, batcher, batches, finish } = setup({ maxBatchSize: 4, timeoutUs: 0, queueBound: 100 });
    void batcher.submit([1]);
    void batcher.submit([2]);
    assert.equal(batches.length, 0, 'requests read in the same turn may still join');
    clock.advance(0);
    assert.deepEqual(batches[0]!.items, [1, 2]);
    for (const item of [3, 4, 5, 6, 7]) void batcher.submit([item]);
    assert.equal(batches.length, 1, 'one batch at a time');
    finish(0);
    await settle();
    assert.deepEqual(batches[1]!.items, [3, 4, 5, 6], 'a full batch runs at once');
    finish(1);
    await settle();
    assert.equal(batches.length, 2);
    clock.advance(0);
    assert.deepEqual(batches[2]!.items, [7]);
  });

  test('never exceeds the maximum batch size', async () => {
    const { clock, batcher, batches, finish } = setup({ maxBatchSize: 2, timeoutUs: 0, queueBound: 100 });
    const results = [1, 2, 3, 4, 5].map((item) => batcher.submit([item]));
    for (let i = 0; i < 3; i++) {
      clock.advance(0);
      finish(i);
      await settle();
    }
    await Promise.all(results);
    assert.deepEqual(batches.map((batch) => batch.items), [[1, 2], [3, 4], [5]]);
  });

  test('gives every request its own results, in order, across batches', async () => {
    const { clock, batcher, finish } = setup({ maxBatchSize: 3, timeoutUs: 1000, queueBound: 100 });
    const first = batcher.submit([1, 2]);
    const second = batcher.submit([3, 4]);
    finish(0);
    await settle();
    clock.advance(1);
    finish(1);
    assert.deepEqual(await first, { ok: true, values: ['out-1', 'out-2'] });
    assert.deepEqual(await second, { ok: true, values: ['out-3', 'out-4'] });
  });

  test('refuses at once with queue_full when the waiting instances would pass the bound', async () => {
    const { clock, batcher, batches } = setup({ maxBatchSize: 10, timeoutUs: 1000, queueBound: 3 });
    void batcher.submit([1, 2]);
    const refused = await batcher.submit([3, 4]);
    assert.equal(refused.ok, false);
    assert.equal((refused as { code: string }).code, 'queue_full');
    assert.equal(batcher.depth, 2, 'the refused request took no room');
    void batcher.submit([5]);
    clock.advance(1);
    assert.deepEqual(batches[0]!.items, [1, 2, 5]);
  });

  test('an inference error fails only the batch it happened in', async () => {
    const { batcher, batches, finish } = setup({ maxBatchSize: 1, timeoutUs: 0, queueBound: 10 });
    const failing = batcher.submit([1]);
    const later = batcher.submit([2]);
    batches[0]!.reject(new Error('kernel exploded'));
    await settle();
    finish(1);
    const failed = (await failing) as Extract<BatchResult<string>, { ok: false }>;
    assert.equal(failed.code, 'inference_failed');
    assert.match(failed.message, /kernel exploded/);
    assert.deepEqual(await later, { ok: true, values: ['out-2'] });
  });

  test('a run returning the wrong number of outputs fails its batch', async () => {
    const clock = new FakeClock();
    const batcher = new Batcher<number, string>({ maxBatchSize: 2, timeoutUs: 0, queueBound: 10, clock, run: async () => ['one'] });
    const first = batcher.submit([1, 2]);
    assert.equal(((await first) as { code: string }).code, 'inference_failed');
  });

  test('drain() runs queued instances without waiting for the timeout', async () => {
    const { batcher, batches, finish } = setup({ maxBatchSize: 8, timeoutUs: 60_000_000, queueBound: 10 });
    void batcher.submit([1]);
    void batcher.submit([2]);
    assert.equal(batches.length, 0);
    const drained = batcher.drain();
    assert.deepEqual(batches[0]!.items, [1, 2]);
    finish(0);
    await drained;
  });

  test('drain() resolves once queued and running batches are done', async () => {
    const { batcher, finish, sizes } = setup({ maxBatchSize: 1, timeoutUs: 0, queueBound: 10 });
    void batcher.submit([1]);
    void batcher.submit([2]);
    let idle = false;
    void batcher.drain().then(() => (idle = true));
    finish(0);
    await settle();
    assert.equal(idle, false);
    finish(1);
    await settle();
    assert.equal(idle, true);
    assert.deepEqual(sizes, [1, 1]);
  });

  test('activity() says whether a batch is being formed or running, and is undefined when idle', async () => {
    const { clock, batcher, finish } = setup({ maxBatchSize: 2, timeoutUs: 1000, queueBound: 10 });
    assert.equal(batcher.activity(), undefined);
    void batcher.submit([1]);
    assert.equal(batcher.activity(), 'a batch is being formed from 1 queued instance');
    clock.advance(1);
    assert.equal(batcher.activity(), 'a batch is running');
    void batcher.submit([2]);
    assert.equal(batcher.activity(), 'a batch is running and a batch is being formed from 1 queued instance');
    finish(0);
    await settle();
    clock.advance(1);
    finish(1);
    await settle();
    assert.equal(batcher.activity(), undefined);
  });

  test('new limits apply to the next batch formed: size, timeout and bound', async () => {
    const { clock, batcher, batches, finish } = setup({ maxBatchSize: 8, timeoutUs: 60_000_000, queueBound: 100 });
    batcher.setLimits({ maxBatchSize: 2, timeoutUs: 1000, queueBound: 3 });
    for (const item of [1, 2, 3]) void batcher.submit([item]);
    assert.deepEqual(batches.map((batch) => batch.items), [[1, 2]], 'two make a full batch now');
    assert.equal(((await batcher.submit([4, 5, 6])) as { code: string }).code, 'queue_full');
    finish(0);
    await settle();
    clock.advance(0.9);
    assert.equal(batches.length, 1);
    clock.advance(0.1);
    assert.deepEqual(batches[1]!.items, [3], 'an under-full batch waits the new 1 ms');
  });

  test('a new timeout re-times the wait of instances already queued', () => {
    const { clock, batcher, batches } = setup({ maxBatchSize: 8, timeoutUs: 60_000_000, queueBound: 100 });
    void batcher.submit([1]);
    clock.advance(5);
    batcher.setLimits({ maxBatchSize: 8, timeoutUs: 2000, queueBound: 100 });
    assert.equal(batches.length, 0);
    clock.advance(0);
    assert.deepEqual(batches[0]?.items, [1], 'it has waited past the new timeout already: it runs on the next turn');
  });
});
