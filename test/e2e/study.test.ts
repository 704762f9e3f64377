/**
 * A real mini-study through the CLI: the GAN discriminator, 3 trials against real containers, then plots
 * and the report. Checks the rows stored, the files written, and that no container of the study is left.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import { runTune } from './cli-run.ts';
import { requireDocker } from './docker-available.ts';

test('tune runs a 3-trial study of gan on real containers, then plots and reports it', { timeout: 15 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'tune-e2e-'));
  const db = join(dir, 'e2e.db');
  const study = `e2e-gan-${process.pid}`;

  const run = await runTune(['--model', 'gan', '--concurrency', '4', '--budget', '3', '--duration', '2', '--warmup', '1', '--db', db, '--name', study, '--json'], dir);
  assert.equal(run.code, 0, `tune failed:\n${run.stderr}`);
  const output = JSON.parse(run.stdout) as { status: string; best?: { number: number }; trials: unknown[] };
  assert.equal(output.status, 'complete');
  assert.match(run.stderr, /3\/3 trial 2/, 'progress lines on stderr');

  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  const storage = opened.storage;
  try {
    const trials = storage.trials(study);
    assert.equal(trials.length, 3);
    assert.deepEqual(trials.map((trial) => trial.number), [0, 1, 2]);
    const baseline = trials[0]!;
    assert.equal(baseline.params.replicas, 1);
    assert.equal(baseline.params.max_batch_size, 1);
    assert.equal(baseline.state, 'complete', `baseline: ${baseline.failureKind}: ${baseline.failureMessage}`);
    for (const trial of trials.filter((t) => t.state === 'complete')) {
      const m = trial.metrics!;
      assert.ok(m.meanMs > 0 && m.p99Ms >= m.p50Ms && m.throughputRps > 0 && m.requests > 0, `trial ${trial.number} metrics`);
      assert.ok(m.cpuSeconds > 0 && m.peakMemoryBytes > 0, `trial ${trial.number} resource use`);
      assert.ok(storage.histogram(study, trial.number).length > 0, `trial ${trial.number} histogram`);
    }
  } finally {
    storage.close();
  }

  const plots = join(dir, 'plots');
  const plotRun = await runTune(['plot', '--study', study, '--db', db, '--out', plots], dir);
  assert.equal(plotRun.code, 0, plotRun.stderr);
  const files = readdirSync(plots);
  assert.ok(files.some((f) => f.endsWith('.png')) && files.some((f) => f.endsWith('.svg')), `plots written: ${files.join(', ')}`);

  const report = join(dir, 'report.html');
  const reportRun = await runTune(['report', '--study', study, '--db', db, '--out', report], dir);
  assert.equal(reportRun.code, 0, reportRun.stderr);
  assert.ok(existsSync(report));

  const left = execFileSync('docker', ['ps', '-aq', '--filter', 'label=tune.tool=tune', '--filter', `label=tune.study=${study}`], { encoding: 'utf8' });
  assert.equal(left.trim(), '', 'no container of the study is left behind');
});
