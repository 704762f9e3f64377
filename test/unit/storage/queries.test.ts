import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import {
  BASELINE_BEST_AND_SPEEDUP,
  README_QUERIES,
  BEST_CONFIGURATION_PER_MODEL_AND_CONCURRENCY,
  BO_VS_RANDOM_BEST_SO_FAR,
  FAILED_TRIALS_AND_WHY,
} from '../../../src/storage/queries.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import { aStudy, recordStudy } from './fixtures.ts';

describe('README SQL queries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tune-queries-'));
  let db: Database;

  before(() => {
    const path = join(dir, 'experiments.db');
    const opened = SqliteStorage.open(path);
    if (!opened.ok) throw opened.error;
    const storage = opened.storage;
    recordStudy(storage, aStudy({ id: 'bo-1', strategy: 'bo', seed: 1 }), [{ meanMs: 50 }, { meanMs: 30 }, { failure: 'oom_killed' }, { meanMs: 20 }]);
    recordStudy(storage, aStudy({ id: 'bo-2', strategy: 'bo', seed: 2 }), [{ meanMs: 50 }, { meanMs: 40 }, { meanMs: 45 }, { meanMs: 25 }]);
    recordStudy(storage, aStudy({ id: 'rnd-1', strategy: 'random', seed: 1 }), [{ meanMs: 50 }, { failure: 'crashed' }, { meanMs: 35 }, { meanMs: 36 }]);
    recordStudy(storage, aStudy({ id: 'c1', strategy: 'random', concurrency: 1 }), [{ meanMs: 9 }, { meanMs: 12 }]);
    recordStudy(storage, aStudy({ id: 'gan', model: 'gan', strategy: 'bo' }), [{ meanMs: 3 }]);
    recordStudy(storage, aStudy({ id: 'late-baseline', model: 'bert', strategy: 'random' }), [{ failure: 'interrupted' }, { failure: 'stale' }, { meanMs: 80 }, { meanMs: 20 }]);
    storage.close();
    db = new BetterSqlite3(path, { readonly: true });
  });

  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('best configuration: one row per model and concurrency, with the lowest mean', () => {
    const rows = db.prepare(BEST_CONFIGURATION_PER_MODEL_AND_CONCURRENCY.sql).all() as Record<string, unknown>[];
    assert.deepEqual(
      rows.map((r) => [r['model'], r['concurrency'], r['mean_ms'], r['study'], r['trial']]),
      [['bert', 8, 20, 'late-baseline', 3], ['gan', 8, 3, 'gan', 0], ['resnet50', 1, 9, 'c1', 0], ['resnet50', 8, 20, 'bo-1', 3]],
    );
    assert.equal(JSON.parse(rows[3]!['params_json'] as string).replicas, 4);
  });

  test('best-so-far per trial number averages seeds and ignores failed trials', () => {
    const rows = db.prepare(BO_VS_RANDOM_BEST_SO_FAR.sql).all() as Record<string, unknown>[];
    const resnet8 = rows.filter((r) => r['model'] === 'resnet50' && r['concurrency'] === 8);
    assert.deepEqual(
      resnet8.map((r) => [r['trial'], r['strategy'], r['seeds'], r['mean_best_ms'], r['min_best_ms'], r['max_best_ms']]),
      [
        [0, 'bo', 2, 50, 50, 50],
        [0, 'random', 1, 50, 50, 50],
        [1, 'bo', 2, 35, 30, 40],
        [1, 'random', 1, 50, 50, 50],
        [2, 'bo', 2, 35, 30, 40],
        [2, 'random', 1, 35, 35, 35],
        [3, 'bo', 2, 22.5, 20, 25],
        [3, 'random', 1, 35, 35, 35],
      ],
    );
  });

  test('best-so-far counts measured trials: interrupted and stale rows take no place', () => {
    const rows = db.prepare(BO_VS_RANDOM_BEST_SO_FAR.sql).all() as Record<string, unknown>[];
    const bert = rows.filter((r) => r['model'] === 'bert');
    assert.deepEqual(bert.map((r) => [r['trial'], r['mean_best_ms']]), [[0, 80], [1, 20]]);
  });

  test('every query is quoted in the README as it is here', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const query of README_QUERIES) assert.ok(readme.includes(query.sql), `README lacks the query "${query.title}"`);
  });

  test('baseline, best and speed-up: the baseline is the first measured trial, as in src/domain/trials.ts', () => {
    const rows = db.prepare(BASELINE_BEST_AND_SPEEDUP.sql).all() as Record<string, unknown>[];
    const row = (id: string) => rows.find((r) => r['study'] === id)!;
    assert.deepEqual([row('late-baseline')['baseline_trial'], row('late-baseline')['baseline_value'], row('late-baseline')['best_trial'], row('late-baseline')['speedup']], [2, 80, 3, 4]);
    assert.deepEqual([row('bo-1')['baseline_trial'], row('bo-1')['best_trial'], row('bo-1')['speedup']], [0, 3, 2.5]);
  });

  test('failed trials list their reason and configuration', () => {
    const rows = (db.prepare(FAILED_TRIALS_AND_WHY.sql).all() as Record<string, unknown>[]).filter((r) => r['study'] !== 'late-baseline');
    assert.deepEqual(
      rows.map((r) => [r['study'], r['trial'], r['failure_kind'], r['failure_message'], r['replicas']]),
      [['bo-1', 2, 'oom_killed', 'oom_killed in trial 2', 3], ['rnd-1', 1, 'crashed', 'crashed in trial 1', 2]],
    );
  });
});
