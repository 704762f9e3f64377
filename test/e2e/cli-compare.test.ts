/**
 * `tune compare` for real: one study per strategy is run on containers, compared, and the convergence plot
 * written; a second identical command reuses the stored studies instead of measuring again.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runTune } from './cli-run.ts';
import { requireDocker } from './docker-available.ts';

test('tune compare runs random and bo studies, then reuses them', { timeout: 15 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'tune-e2e-compare-'));
  const db = join(dir, 'compare.db');
  const args = ['compare', 'random', 'bo', '--model', 'gan', '--concurrency', '2', '--budget', '2', '--seeds', '5', '--duration', '2', '--warmup', '1', '--db', db, '--out', join(dir, 'plots')];

  const first = await runTune(args, dir);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /study gan-random-c2-b2-s5: starting/);
  assert.match(first.stderr, /study gan-bo-c2-b2-s5: starting/);
  assert.match(first.stdout, /^random\s+1\s/m);
  assert.match(first.stdout, /^bo\s+1\s/m);
  assert.ok(existsSync(join(dir, 'plots', 'gan-c2-convergence.png')));

  const second = await runTune(args, dir);
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /starting|resuming/, 'complete studies are reused, not run again');
  assert.equal(second.stdout, first.stdout, 'the same studies give the same comparison');

  for (const study of ['gan-random-c2-b2-s5', 'gan-bo-c2-b2-s5']) {
    const left = execFileSync('docker', ['ps', '-aq', '--filter', 'label=tune.tool=tune', '--filter', `label=tune.study=${study}`], { encoding: 'utf8' });
    assert.equal(left.trim(), '');
  }
});
