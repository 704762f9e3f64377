import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReloadableRunner, type OpenRunnerWith } from '../../../src/server/reloadable-runner.ts';
import type { BatchRunner } from '../../../src/server/runners/runner.ts';
import type { SessionKnobs } from '../../../src/server/session.ts';
import { settle } from './fake-clock.ts';

const ONE_THREAD: SessionKnobs = { intraOpThreads: 1, interOpThreads: 0, executionMode: 'sequential', graphOptimizationLevel: 'all' };
const TWO_THREADS: SessionKnobs = { ...ONE_THREAD, intraOpThreads: 2 };

/** Runners that answer which sessions ran a batch ("threads-N"), with hooks to fail or hold them. */
function sessionsFactory(options: { failOpen?: (knobs: SessionKnobs) => string | undefined; failRun?: (knobs: SessionKnobs) => boolean } = {}) {
  const opened: SessionKnobs[] = [];
  const closed: string[] = [];
  const held: (() => void)[] = [];
  let holdRuns = false;
  const open: OpenRunnerWith<number> = async (knobs) => {
    const refusal = options.failOpen?.(knobs);
    if (refusal !== undefined) throw new Error(refusal);
    opened.push(knobs);
    const name = `threads-${knobs.intraOpThreads}`;
    const runner: BatchRunner<number> = {
      run: async (batch) => {
        if (options.failRun?.(knobs)) throw new Error('Non-zero status code returned while running Conv node.\nStatus Message: bad');
        if (holdRuns) await new Promise<void>((resolve) => held.push(resolve));
        return batch.map((item) => `${name}:${item}`);
      },
      close: async () => void closed.push(name),
    };
    return runner;
  };
  return { open, opened, closed, held, hold: (on: boolean) => (holdRuns = on) };
}

describe('ReloadableRunner', () => {
  test('serves from new sessions once they are open and warmed up, and releases the old ones', async () => {
    const sessions = sessionsFactory();
    const runner = await ReloadableRunner.start(sessions.open, ONE_THREAD);
    assert.deepEqual(await runner.run([1]), ['threads-1:1']);
    await runner.reload(TWO_THREADS, [[0], [0, 0]]);
    assert.deepEqual(sessions.opened, [ONE_THREAD, TWO_THREADS]);
    assert.deepEqual(sessions.closed, ['threads-1']);
    assert.deepEqual(await runner.run([2, 3]), ['threads-2:2', 'threads-2:3']);
    await runner.close();
    assert.deepEqual(sessions.closed, ['threads-1', 'threads-2']);
  });

  test('a session factory that fails leaves the old sessions serving, with a one-line reason', async () => {
    const sessions = sessionsFactory({ failOpen: (knobs) => (knobs.intraOpThreads === 2 ? 'Load model from /models/gan/model.onnx failed:\nProtobuf parsing failed.' : undefined) });
    const runner = await ReloadableRunner.start(sessions.open, ONE_THREAD);
    await assert.rejects(runner.reload(TWO_THREADS, [[0]]), (error: Error) => {
      assert.equal(error.message, 'opening sessions with the new options failed: Load model from /models/gan/model.onnx failed: Protobuf parsing failed.');
      return true;
    });
    assert.deepEqual(sessions.closed, []);
    assert.deepEqual(await runner.run([4]), ['threads-1:4']);
    await runner.close();
  });

  test('new sessions that fail their warm-up are released and the old ones go on', async () => {
    const sessions = sessionsFactory({ failRun: (knobs) => knobs.intraOpThreads === 2 });
    const runner = await ReloadableRunner.start(sessions.open, ONE_THREAD);
    await assert.rejects(runner.reload(TWO_THREADS, [[0]]), /^Error: warm-up on the new sessions failed: Non-zero status code .* Status Message: bad$/);
    assert.deepEqual(sessions.closed, ['threads-2']);
    assert.deepEqual(await runner.run([5]), ['threads-1:5']);
    await runner.close();
  });

  test('old sessions are released only after the batches already running on them are done', async () => {
    const sessions = sessionsFactory();
    const runner = await ReloadableRunner.start(sessions.open, ONE_THREAD);
    sessions.hold(true);
    const running = runner.run([6]);
    sessions.hold(false);
    const reloaded = runner.reload(TWO_THREADS, []);
    await settle();
    assert.deepEqual(sessions.opened, [ONE_THREAD, TWO_THREADS]);
    assert.deepEqual(sessions.closed, [], 'a batch still runs on them');
    assert.deepEqual(await runner.run([7]), ['threads-2:7'], 'new batches already go to the new sessions');
    sessions.held.forEach((release) => release());
    assert.deepEqual(await running, ['threads-1:6']);
    await reloaded;
    assert.deepEqual(sessions.closed, ['threads-1']);
    await runner.close();
  });

  test('one reload at a time; none after close', async () => {
    const sessions = sessionsFactory();
    const runner = await ReloadableRunner.start(sessions.open, ONE_THREAD);
    const first = runner.reload(TWO_THREADS, []);
    await assert.rejects(runner.reload(ONE_THREAD, []), /another reload is under way/);
    await first;
    await runner.close();
    await assert.rejects(runner.reload(ONE_THREAD, []), /closed/);
    assert.deepEqual(sessions.closed, ['threads-1', 'threads-2']);
  });
});
