/** The optimizer benchmark's real problems: one per replay file, named after the study, scored as noisy. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { replayProblems } from '../../../bench/optimizers/replay-problems.ts';
import { createRng } from '../../../src/random/rng.ts';
import { formatReplay } from '../../../src/replay/replay-file.ts';
import { assertOneLine } from '../../../support/one-line.ts';
import { syntheticReplay } from '../replay/fixtures.ts';

describe('replay problems', () => {
  test('each replay file is a noisy problem on its study’s space, answered by its surrogate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tune-replays-'));
    const replay = syntheticReplay(40);
    writeFileSync(join(dir, 'a.json'), formatReplay(replay));
    writeFileSync(join(dir, 'b.json'), formatReplay(replay));
    writeFileSync(join(dir, 'README.md'), 'not a replay');
    const problems = replayProblems(dir);
    assert.deepEqual(problems.map((p) => p.name), ['replay synthetic c8 (40 trials)', 'replay synthetic c8 (40 trials) b']);
    const [problem] = problems;
    assert.ok(problem?.noisy);
    assert.deepEqual(problem.space.pinned, { precision: 'fp32' });
    const complete = replay.trials.flatMap((t) => (t.state === 'complete' ? [t] : []));
    for (const trial of complete) assert.ok(problem.optimum <= problem.truth(trial.params)!);
    const failed = replay.trials.find((t) => t.state === 'failed');
    assert.deepEqual(problem.measure(failed!.params, createRng(1)), { failed: 'oom_killed' });
    assert.equal(typeof problem.measure(complete[0]!.params, createRng(1)), 'number');
  });

  test('a file that is not a replay stops the benchmark with one line naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tune-replays-'));
    writeFileSync(join(dir, 'broken.json'), '{"format": "tune-replay", "version": 9}');
    assert.throws(() => replayProblems(dir), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'replay_unsupported_version');
      assert.match(error.message, /broken\.json: replay version 9 is not supported/);
      assertOneLine(error.message, 'broken replay');
      return true;
    });
  });
});
