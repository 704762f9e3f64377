/**
 * `tune variants` for real: a two-trial study per precision of the GAN on Docker containers, then the variant
 * table (size on disk, latency, throughput, cost, top-1 agreement with fp32 computed in-process), the studies
 * stored with their precision pinned, and no container left behind.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ensureModel } from '../../src/models/index.ts';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import type { TrialRecord } from '../../src/domain/records.ts';
import { isStoredSpace } from '../../src/study/study-space.ts';
import { runTune } from './cli-run.ts';
import { requireDocker } from './docker-available.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function containersOf(study: string): string[] {
  const filters = ['--filter', 'label=tune.tool=tune', '--filter', `label=tune.study=${study}`];
  return execFileSync('docker', ['ps', '-aq', ...filters], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

test('tune variants tunes fp32 and int8, tabulates them at their best and cleans up', { timeout: 15 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'tune-e2e-variants-'));
  const db = join(dir, 'variants.db');
  const seed = String(process.pid % 10_000); // a fresh study name per run, so nothing is reused
  const args = ['variants', '--model', 'gan', '--concurrency', '2', '--budget', '2', '--duration', '1', '--warmup', '1', '--seed', seed, '--db', db, '--fidelity-instances', '16'];
  const run = await runTune(args, dir);
  assert.equal(run.code, 0, run.stderr);

  const lines = run.stdout.split('\n');
  assert.match(lines[0]!, /^variant\s+size MB\s+best #\s+mean ms\s+p99 ms\s+req\/s\s+req\/s vs fp32\s+USD\/M req\s+fidelity vs fp32$/);
  const row = (label: string) => lines.find((line) => line.startsWith(`${label} `)) ?? assert.fail(`no ${label} row in:\n${run.stdout}`);
  // fp32 against itself agrees fully; int8 has its own weights file, about a quarter of fp32's size.
  assert.match(row('fp32'), /^fp32\s+5\.6\d?\s+[01]\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+1\.00×\s+[\d.e-]+\s+100\.0% top-1 agreement \(16\/16 exact\)$/);
  assert.match(row('int8'), /^int8\s+1\.4\d?\s+[01]\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+×\s+[\d.e-]+\s+[\d.]+% top-1 agreement \(\d+\/16 exact\)$/);
  assert.match(run.stdout, /^Pareto front, mean latency against cost: gan at concurrency 2$/m);

  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  try {
    const studies = opened.storage.listStudies();
    assert.deepEqual(studies.map((s) => s.id), [`gan-bo-c2-b2-s${seed}-fp32`, `gan-bo-c2-b2-s${seed}-int8`]);
    for (const study of studies) {
      const precision = study.id.endsWith('int8') ? 'int8' : 'fp32';
      assert.ok(isStoredSpace(study.space) && study.space.pinned.precision === precision, `${study.id} stores its pinned precision`);
      const trials = opened.storage.trials(study.id);
      assert.equal(trials.length, 2);
      assert.ok(trials.every((trial) => trial.params.precision === precision));
      assert.ok(trials.some((trial) => trial.state === 'complete'), `${study.id} completed a trial`);
      assert.deepEqual(containersOf(study.id), [], `no container of ${study.id} is left`);
    }
  } finally {
    opened.storage.close();
  }

  // A second run reuses both stored studies: nothing is deployed again.
  const again = await runTune(args, dir);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /starting|resuming/);
});

test('tune report --transfer measures each best configuration on the other model, then reports it as measured', { timeout: 15 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'tune-e2e-transfer-'));
  const db = join(dir, 'transfer.db');
  // A second "model": the gan graph as a user's .onnx file, under the working directory (the allowed root).
  const userModel = join(dir, 'models', 'discriminator');
  mkdirSync(userModel, { recursive: true });
  copyFileSync(join(await ensureModel({ model: 'gan', precision: 'fp32' }), 'model.onnx'), join(userModel, 'model.onnx'));
  const window = ['--concurrency', '2', '--budget', '2', '--duration', '1', '--warmup', '1', '--precision', 'fp32', '--db', db];
  for (const [model, name] of [['gan', 'a'], ['./models/discriminator', 'b']] as const) {
    // One space for both, so their configurations share every parameter.
    const run = await runTune(['--model', model, '--name', name, '--space', join(REPO, 'search-spaces/gan.json'), ...window], dir);
    assert.equal(run.code, 0, run.stderr);
  }

  const report = join(dir, 'report.html');
  const run = await runTune(['report', '--study', 'a', 'b', '--transfer', '--db', db, '--out', report], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /study b-with-best-of-a: starting/);
  assert.match(run.stderr, /study a-with-best-of-b: starting/);

  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  try {
    for (const [source, target] of [['a', 'b'], ['b', 'a']] as const) {
      const trials = opened.storage.trials(`${target}-with-best-of-${source}`);
      assert.equal(trials.length, 1);
      const complete = opened.storage.trials(source).filter((trial) => trial.state === 'complete');
      const best: TrialRecord = complete.sort((x, y) => x.metrics!.meanMs - y.metrics!.meanMs)[0]!;
      assert.deepEqual(trials[0]!.params, best.params, `${target} ran ${source}'s best configuration`);
      assert.deepEqual(containersOf(`${target}-with-best-of-${source}`), []);
    }
  } finally {
    opened.storage.close();
  }
  const html = readFileSync(report, 'utf8');
  assert.match(html, /best of a used for b: .* \(measured on the target\)/);
  assert.match(html, /best of b used for a: .* \(measured on the target\)/);

  // Run again: the transfer studies are reused, nothing is deployed.
  const again = await runTune(['report', '--study', 'a', 'b', '--transfer', '--db', db, '--out', report], dir);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /starting|resuming/);
});
