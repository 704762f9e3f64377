/**
 * One baseline everywhere: a study whose first trial was interrupted and whose defaults were then measured
 * in trial 1 shows trial 1 as its baseline, and the same speed-up, in `tune best`, `tune report`,
 * `tune compare` and the README's SQL. Run in-process through main() against a real SQLite file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import type { CliIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import { BASELINE_BEST_AND_SPEEDUP } from '../../../src/storage/queries.ts';
import type { StoredSpace } from '../../../src/study/study-space.ts';
import { fakeMetrics, studyRecord } from '../loop/fakes.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-baseline-'));
const db = join(dir, 'experiments.db');
const spacePath = fileURLToPath(new URL('../../../search-spaces/gan.json', import.meta.url));
// Trial 0 interrupted; the defaults measured at trial 1 (80 ms), then the best at 20 ms: a 4× speed-up.
const STUDIES = { 'gan-random-c4-b3-s1': [undefined, 80, 40, 20], 'gan-bo-c4-b3-s1': [undefined, 60, 30, 15] } as const;

async function run(...argv: string[]): Promise<string> {
  const out: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: () => {} };
  const code = await main(argv, io);
  assert.equal(code, 0, `tune ${argv.join(' ')} exits 0`);
  return out.join('\n');
}

describe('the baseline after an interrupted first trial', () => {
  before(() => {
    const opened = SqliteStorage.open(db);
    assert.ok(opened.ok);
    const space: StoredSpace = { origin: spacePath, document: JSON.parse(readFileSync(spacePath, 'utf8')), pinned: {} };
    for (const [id, means] of Object.entries(STUDIES)) {
      opened.storage.createStudy(studyRecord({ id, model: 'gan', strategy: id.split('-')[1], budget: 3, space }));
      means.forEach((mean, number) => {
        opened.storage.startTrial(id, number, { replicas: number === 1 ? 1 : number + 1, cpus: 1 });
        if (mean === undefined) {
          opened.storage.finishTrial(id, number, { state: 'interrupted', failureKind: 'interrupted', failureMessage: 'stopped by a signal' });
          return;
        }
        const load = { latency: { count: 10, mean, meanCi95: 1, min: 1, p50: mean, p90: mean, p95: mean, p99: mean, max: mean }, durationS: 2, completed: 10, throughputRps: 5, errors: {}, histogram: [] };
        const metrics = fakeMetrics({ load, usage: { cpuSeconds: 1, peakMemoryBytes: 1e8, perReplica: [] } });
        opened.storage.finishTrial(id, number, { state: 'complete', metrics, objectiveValue: mean, histogram: [{ upperMs: mean, count: 10 }] });
      });
    }
    opened.storage.close();
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test('tune best', async () => {
    const summary = JSON.parse(await run('best', '--study', 'gan-random-c4-b3-s1', '--db', db, '--json'));
    assert.equal(summary.baseline.number, 1);
    assert.equal(summary.speedup, 4);
    assert.match(await run('best', '--study', 'gan-random-c4-b3-s1', '--db', db), /baseline \(trial 1\)[\s\S]*speed-up: 4\.00×/);
  });

  test('tune report', async () => {
    const out = join(dir, 'report.html');
    await run('report', '--study', 'gan-random-c4-b3-s1', '--db', db, '--out', out);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /Baseline \(trial 1\)/);
    assert.match(html, /<td>gan-random-c4-b3-s1<\/td>(?:(?!<\/tr>).)*4\.00×/);
  });

  test('tune compare', async () => {
    const out = await run('compare', 'random', 'bo', '--model', 'gan', '--concurrency', '4', '--budget', '3', '--seeds', '1', '--db', db, '--no-run', '--json', '--out', join(dir, 'compare'));
    const { comparison } = JSON.parse(out);
    assert.deepEqual(comparison.strategies.map((s: { strategy: string; speedup: { median: number } }) => [s.strategy, s.speedup.median]), [['random', 4], ['bo', 4]]);
  });

  test("the README's SQL", () => {
    const sqlite = new BetterSqlite3(db, { readonly: true });
    try {
      const rows = sqlite.prepare(BASELINE_BEST_AND_SPEEDUP.sql).all() as Record<string, unknown>[];
      assert.deepEqual(rows.map((r) => [r['study'], r['baseline_trial'], r['speedup']]), [['gan-bo-c4-b3-s1', 1, 4], ['gan-random-c4-b3-s1', 1, 4]]);
    } finally {
      sqlite.close();
    }
  });
});
