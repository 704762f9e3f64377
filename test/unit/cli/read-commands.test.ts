/** trials, best, studies and --resume --dry-run against a real SQLite file, run in-process through main(). */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import type { StoredSpace } from '../../../src/study/study-space.ts';
import { runCli as run } from '../../../support/in-process-cli.ts';
import { fakeMetrics, studyRecord } from '../loop/fakes.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-read-'));
const db = join(dir, 'experiments.db');
const spacePath = fileURLToPath(new URL('../../../search-spaces/gan.json', import.meta.url));

function seedDatabase(): void {
  const opened = SqliteStorage.open(db);
  assert.ok(opened.ok);
  seedStudy(opened.storage, 'gan-random-c4-b3-s1', 'random', [80, 20, 40]);
  seedStudy(opened.storage, 'gan-bo-c4-b3-s1', 'bo', [80, 30, 10]);
  seedStudy(opened.storage, 'bert-random-c4-b3-s1', 'random', [300, 120, 200], 'bert');
  opened.storage.close();
}

function seedStudy(storage: SqliteStorage, id: string, strategy: string, latencies: number[], model = 'gan'): void {
  const space: StoredSpace = { origin: spacePath, document: JSON.parse(readFileSync(spacePath, 'utf8')), pinned: { precision: 'fp32' } };
  storage.createStudy(studyRecord({ id, model, strategy, budget: 3, space }));
  latencies.forEach((mean, number) => {
    storage.startTrial(id, number, { replicas: number + 1, cpus: 1 });
    const load = { latency: { count: 10, mean, meanCi95: 1, min: 1, p50: mean, p90: mean, p95: mean, p99: mean, max: mean }, durationS: 2, completed: 10, throughputRps: 5, errors: {}, histogram: [] };
    const metrics = fakeMetrics({ load, usage: { cpuSeconds: 1, peakMemoryBytes: 1e8, perReplica: [] } });
    storage.finishTrial(id, number, { state: 'complete', metrics, objectiveValue: mean, histogram: [{ upperMs: mean, count: 10 }] });
  });
}

describe('read-only commands', () => {
  seedDatabase();

  test('trials lists every trial', async () => {
    const result = await run('trials', '--study', 'gan-random-c4-b3-s1', '--db', db);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^trial\s+state/m);
    assert.equal(result.out.split('\n').filter((line) => /complete/.test(line)).length, 3);
    assert.match(result.out, /\sJ\/req \(estimated\)\s/, 'the energy column says its figures are estimates');
    assert.match(result.out, /^energy is estimated, not measured: from each trial's CPU time and its reserved CPUs and memory/m, 'and from what');
  });

  test('best compares the best trial with the baseline', async () => {
    const result = await run('best', '--study', 'gan-random-c4-b3-s1', '--db', db, '--json');
    assert.equal(result.code, 0, result.err);
    const summary = JSON.parse(result.out) as { best: { number: number }; baseline: { number: number }; speedup: number };
    assert.equal(summary.best.number, 1);
    assert.equal(summary.baseline.number, 0);
    assert.equal(summary.speedup, 4);
  });

  test('report writes one HTML file with the Pareto fronts and, across models, the cross-model analysis', async () => {
    const out = join(dir, 'report.html');
    const result = await run('report', '--study', 'gan-random-c4-b3-s1', 'bert-random-c4-b3-s1', '--db', db, '--out', out);
    assert.equal(result.code, 0, result.err);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /Pareto front, mean latency against cost: gan at concurrency 4/);
    assert.match(html, /<h2>Across models<\/h2>/);
    assert.match(html, /Parameter importance: bert-random-c4-b3-s1/);
  });

  test('studies lists the study with its progress', async () => {
    const result = await run('studies', '--db', db);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /gan-random-c4-b3-s1\s+gan\s+random\s+4\s+3\/3/);
  });

  test('compare --no-run compares the stored studies named by model, concurrency, budget and seed', async () => {
    const out = join(dir, 'compare');
    const result = await run('compare', 'random', 'bo', '--model', 'gan', '--concurrency', '4', '--budget', '3', '--no-run', '--db', db, '--out', out);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^random\s+1\s+20/m);
    assert.match(result.out, /^bo\s+1\s+10/m);
    assert.ok(existsSync(join(out, 'gan-c4-convergence.svg')));
  });

  test('compare --no-run without the study is bad usage', async () => {
    const result = await run('compare', 'random', '--model', 'gan', '--concurrency', '4', '--budget', '3', '--seeds', '7', '--no-run', '--db', db);
    assert.equal(result.code, 2);
    assert.match(result.err, /study gan-random-c4-b3-s7 is not in .*: run without --no-run to create it/);
  });

  test('an unknown study is bad usage', async () => {
    const result = await run('best', '--study', 'nope', '--db', db);
    assert.equal(result.code, 2);
    assert.match(result.err, /no study "nope"/);
  });

  test('--resume keeps the stored settings: a study-defining option is refused', async () => {
    const result = await run('--resume', 'gan-random-c4-b3-s1', '--db', db, '--budget', '5', '--dry-run');
    assert.equal(result.code, 2);
    assert.match(result.err, /drop --budget/);
  });

  test('--resume --dry-run plans from the stored study, pins included', async () => {
    const result = await run('--resume', 'gan-random-c4-b3-s1', '--db', db, '--dry-run');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /study gan-random-c4-b3-s1 .*\(resume\)/);
    assert.match(result.out, /pinned: precision=fp32/);
  });

  test('a new study may not reuse an existing name', async () => {
    const result = await run('--model', 'gan', '--concurrency', '4', '--budget', '3', '--strategy', 'random', '--db', db, '--dry-run');
    assert.equal(result.code, 2);
    assert.match(result.err, /already exists .*resume it with: tune --resume gan-random-c4-b3-s1/);
  });
});
