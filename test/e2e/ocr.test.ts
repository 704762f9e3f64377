/**
 * The ocr built-in (real PaddleOCR weights) for real: a tiny study on Docker containers with nothing but the model
 * named (its search space, workload of rendered lines and image come by default), then `tune variants`, whose table
 * scores fp32 and int8 against the lines' ground truth and never calls their fidelity unjudgeable; no container left.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import { runTune } from './cli-run.ts';
import { requireDocker } from './docker-available.ts';

function containersOf(study: string): string[] {
  const filters = ['--filter', 'label=tune.tool=tune', '--filter', `label=tune.study=${study}`];
  return execFileSync('docker', ['ps', '-aq', ...filters], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

test('tune --model ocr runs a 2-trial study of the real recognizer on real containers', { timeout: 15 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'tune-e2e-ocr-'));
  const db = join(dir, 'ocr.db');
  const study = `e2e-ocr-${process.pid}`;
  const run = await runTune(['--model', 'ocr', '--concurrency', '2', '--budget', '2', '--duration', '2', '--warmup', '1', '--db', db, '--name', study, '--json'], dir);
  assert.equal(run.code, 0, `tune failed:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /synthetic/, 'ocr is not announced as synthetic');
  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  try {
    const trials = opened.storage.trials(study);
    assert.equal(trials.length, 2);
    const baseline = trials[0]!;
    assert.equal(baseline.state, 'complete', `baseline: ${baseline.failureKind}: ${baseline.failureMessage}`);
    const m = baseline.metrics!;
    assert.ok(m.requests > 0 && m.errors === 0 && m.meanMs > 0 && m.throughputRps > 0, JSON.stringify(m));
  } finally {
    opened.storage.close();
  }
  assert.deepEqual(containersOf(study), [], 'no container of the study is left');
});

test('tune variants --model ocr scores fp32 and int8 against ground truth beside latency and cost', { timeout: 20 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  const dir = mkdtempSync(join(tmpdir(), 'tune-e2e-ocr-variants-'));
  const seed = String(process.pid % 10_000);
  const args = ['variants', '--model', 'ocr', '--concurrency', '2', '--budget', '1', '--duration', '2', '--warmup', '1', '--seed', seed, '--db', join(dir, 'v.db'), '--fidelity-instances', '24'];
  const run = await runTune(args, dir);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.match(lines[0]!, /^variant\s+size MB\s+best #\s+mean ms\s+p99 ms\s+req\/s\s+req\/s vs fp32\s+USD\/M req\s+fidelity vs fp32\s+accuracy vs ground truth$/);
  const row = (label: string) => lines.find((line) => line.startsWith(`${label} `)) ?? assert.fail(`no ${label} row in:\n${run.stdout}`);
  const percent = (line: string, measure: string) => Number(new RegExp(`([\\d.]+)% ${measure}`).exec(line)?.[1]);
  assert.match(row('fp32'), /^fp32\s+10\.8\d?\s+0\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+1\.00×\s+[\d.e-]+\s+100\.0% character agreement \(24\/24 exact\)\s+[\d.]+% character accuracy \(\d+\/24 exact\)$/);
  assert.match(row('int8'), /^int8\s+[23]\.\d+\s+0\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+×\s+[\d.e-]+\s+[\d.]+% character agreement \(\d+\/24 exact\)\s+[\d.]+% character accuracy \(\d+\/24 exact\)$/);
  assert.ok(percent(row('fp32'), 'character accuracy') >= 95, row('fp32'));
  assert.ok(percent(row('int8'), 'character accuracy') >= 90, row('int8'));
  assert.doesNotMatch(run.stdout, /fidelity cannot be judged/);
  for (const precision of ['fp32', 'int8']) assert.deepEqual(containersOf(`ocr-bo-c2-b1-s${seed}-${precision}`), []);
});
