/** tune replay-export against a real SQLite file, run in process through main(): the file it writes and its refusals. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readReplayFile } from '../../../src/replay/replay-file.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import { runCli } from '../../../support/in-process-cli.ts';
import { assertOneLine } from '../../../support/one-line.ts';
import { at, recordEveryKindOfTrial, replayStudyRecord } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-replay-'));
const db = join(dir, 'experiments.db');
const opened = SqliteStorage.open(db);
assert.ok(opened.ok);
recordEveryKindOfTrial(opened.storage);
opened.storage.createStudy(replayStudyRecord({ id: 'trade-off', objectives: ['mean', 'cost'] }));
opened.storage.createStudy(replayStudyRecord({ id: 'all-failed' }));
opened.storage.startTrial('all-failed', 0, at(1, 32));
opened.storage.finishTrial('all-failed', 0, { state: 'failed', failureKind: 'oom_killed' });
opened.storage.close();

describe('tune replay-export', () => {
  test('writes the measured attempts to --out and says how many', async () => {
    const out = join(dir, 'replays', 'synthetic.json');
    const result = await runCli('replay-export', '--study', 'synthetic-bo-c8-b40-s1', '--db', db, '--out', out);
    assert.equal(result.code, 0, result.err);
    assert.equal(result.out, `wrote 5 trials (2 complete, 3 failed) of study synthetic-bo-c8-b40-s1 to ${out}`);
    const read = readReplayFile(out);
    assert.ok(read.ok, read.ok ? '' : read.error.message);
    assert.deepEqual(read.value.trials.map((t) => t.number), [0, 1, 4, 5, 8]);
  });

  test('writes <study>.replay.json in the working directory by default', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const result = await runCli('replay-export', '--study', 'synthetic-bo-c8-b40-s1', '--db', db);
      assert.equal(result.code, 0, result.err);
      assert.ok(existsSync(join(dir, 'synthetic-bo-c8-b40-s1.replay.json')));
    } finally {
      process.chdir(cwd);
    }
  });

  test('refuses an unknown study, several objectives and no complete trial: exit 2, one line saying what to do', async () => {
    const cases: [string, RegExp][] = [
      ['nope', /no study "nope" in .*: list the studies with: tune studies --db/],
      ['trade-off', /minimises mean, cost at once: a replay holds one objective; export a single-objective study/],
      ['all-failed', /has no complete trial to fit a replay to: continue it first with: tune --resume all-failed/],
    ];
    for (const [study, message] of cases) {
      const result = await runCli('replay-export', '--study', study, '--db', db, '--out', join(dir, `${study}.json`));
      assert.equal(result.code, 2, `${study}: ${result.err}`);
      assert.match(result.err, message);
      assertOneLine(result.err, study);
      assert.ok(!existsSync(join(dir, `${study}.json`)));
    }
  });
});
