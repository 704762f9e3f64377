/** What only the SQLite storage does: schema versions, durable files, and the ways a --db can be unusable. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { StorageErrorCode } from '../../../src/storage/errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/storage/migrations.ts';
import { SqliteStorage, type SqliteOptions } from '../../../src/storage/sqlite.ts';
import { aStudy, someMetrics, someParams } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `t${files++}.db`);

function open(path: string, options: SqliteOptions = {}): SqliteStorage {
  const opened = SqliteStorage.open(path, options);
  if (!opened.ok) throw opened.error;
  return opened.storage;
}

function assertOpenFails(path: string, code: StorageErrorCode, message?: RegExp): void {
  const opened = SqliteStorage.open(path, { busyTimeoutMs: 50 });
  assert.equal(opened.ok, false, `opening ${path} should fail with ${code}`);
  if (opened.ok) return;
  assert.equal(opened.error.code, code, opened.error.message);
  assert.doesNotMatch(opened.error.message, /\n/);
  if (message) assert.match(opened.error.message, message);
}

/** Runs body on a plain better-sqlite3 connection, as another program would. */
function rawly(path: string, body: (db: BetterSqlite3.Database) => unknown): void {
  const db = new BetterSqlite3(path);
  try {
    body(db);
  } finally {
    db.close();
  }
}

/**
 * Makes a file or directory unwritable, or writable again. Root ignores permission bits, so as root this sets
 * the immutable attribute, which binds root too; elsewhere chmod is enough. False when neither can be done.
 */
function immutable(path: string, on: boolean): boolean {
  try {
    if (process.getuid?.() === 0) execFileSync('chattr', [on ? '+i' : '-i', path], { stdio: 'ignore' });
    else chmodSync(path, on ? 0o555 : 0o755);
    return true;
  } catch {
    return false;
  }
}

describe('SqliteStorage schema', () => {
  test('migrations are numbered 1..n in order', () => {
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
    assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
  });

  test('a new file is stamped with the current schema version, and reopening keeps the data', () => {
    const path = freshPath();
    const first = open(path);
    first.createStudy(aStudy());
    first.close();
    const raw = new BetterSqlite3(path, { readonly: true });
    assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();
    const second = open(path);
    assert.deepEqual(second.listStudies(), [aStudy()]);
    second.close();
  });

  test('standard params and host facts are queryable as columns', () => {
    const path = freshPath();
    const storage = open(path);
    storage.createStudy(aStudy());
    storage.startTrial('resnet-c8-bo-1', 0, someParams);
    storage.finishTrial('resnet-c8-bo-1', 0, { state: 'complete', metrics: someMetrics() });
    storage.close();
    const raw = new BetterSqlite3(path, { readonly: true });
    const row = raw
      .prepare('SELECT replicas, cpus, memory_mb, max_batch_size, batch_timeout_us, intra_op_threads, inter_op_threads, execution_mode, graph_optimization_level, precision, mean_ms FROM trials')
      .get();
    assert.deepEqual({ ...(row as object) }, { ...someParams, mean_ms: 42.5 });
    assert.equal(raw.prepare('SELECT host_cpus FROM studies').pluck().get(), 2);
    raw.close();
  });

  test('a database from a newer tune is refused with one line naming both versions', () => {
    const path = join(dir, 'experiments.db');
    open(path).close();
    const raw = new BetterSqlite3(path);
    raw.pragma('user_version = 99');
    raw.close();
    const opened = SqliteStorage.open(path);
    assert.equal(opened.ok, false);
    if (opened.ok) return;
    assert.equal(opened.error.code, 'schema_too_new');
    assert.equal(
      opened.error.message,
      `${path} was written by a newer tune (schema 99 > ${SCHEMA_VERSION}): upgrade tune or use another --db`,
    );
  });

  test('an older schema is migrated forward and keeps its rows', () => {
    const path = freshPath();
    const raw = new BetterSqlite3(path);
    raw.exec(MIGRATIONS[0]!.sql);
    raw.pragma('user_version = 1');
    raw.prepare(`INSERT INTO studies (id, model, concurrency, strategy, seed, budget, objective, space_json, duration_s, warmup_s, host_json, created_at)
      VALUES ('old', 'gan', 1, 'random', 3, 10, 'mean', '{}', 10, 2, '{"cpus":2}', '2026-01-01T00:00:00.000Z')`).run();
    raw.close();
    const storage = open(path);
    assert.equal(storage.getStudy('old')?.strategy, 'random');
    storage.close();
  });
});

describe('SqliteStorage schema 3: objective lists', () => {
  test('a schema-2 database keeps its studies, their order, trials and claims, and takes energy and lists afterwards', () => {
    const path = freshPath();
    const raw = new BetterSqlite3(path);
    raw.pragma('foreign_keys = ON');
    for (const migration of MIGRATIONS.slice(0, 2)) raw.exec(migration.sql);
    raw.pragma('user_version = 2');
    const insert = raw.prepare(`INSERT INTO studies (id, model, concurrency, strategy, seed, budget, objective, space_json, duration_s, warmup_s, host_json, created_at)
      VALUES (?, 'gan', 1, 'random', 3, 10, ?, '{}', 10, 2, '{"cpus":2}', '2026-01-01T00:00:00.000Z')`);
    insert.run('b-old', 'mean');
    insert.run('a-old', 'cost');
    raw.prepare(`INSERT INTO trials (study_id, number, state, params_json, started_at) VALUES ('b-old', 0, 'running', '{}', 'now')`).run();
    raw.prepare(`INSERT INTO study_claims (study_id, host, pid, claimed_at) VALUES ('a-old', 'lab', 1, 'now')`).run();
    raw.close();

    const storage = open(path);
    assert.deepEqual(storage.listStudies().map((s) => [s.id, s.objective, s.objectives]), [['b-old', 'mean', undefined], ['a-old', 'cost', undefined]]);
    assert.equal(storage.trials('b-old').length, 1);
    storage.createStudy(aStudy({ id: 'new', objective: 'energy', objectives: ['energy', 'mean'] }));
    assert.deepEqual(storage.getStudy('new')?.objectives, ['energy', 'mean']);
    storage.close();
    const check = new BetterSqlite3(path, { readonly: true });
    assert.deepEqual(check.pragma('foreign_key_check'), []);
    assert.equal(check.prepare('SELECT study_id FROM study_claims').pluck().get(), 'a-old');
    assert.equal(check.prepare("SELECT objectives FROM studies WHERE id = 'new'").pluck().get(), 'energy,mean');
    assert.equal(check.prepare("SELECT host_cpus FROM studies WHERE id = 'a-old'").pluck().get(), 2);
    check.close();
  });

  test('the stored list must start with the primary objective', () => {
    const path = freshPath();
    open(path).close();
    const raw = new BetterSqlite3(path);
    assert.throws(() => raw.prepare(`INSERT INTO studies (id, model, concurrency, strategy, seed, budget, objective, objectives, space_json, duration_s, warmup_s, host_json, created_at)
      VALUES ('x', 'gan', 1, 'bo', 1, 5, 'mean', 'cost,mean', '{}', 10, 2, '{}', 'now')`).run(), /CHECK constraint failed/);
    raw.close();
  });
});

describe('SqliteStorage schema 7: workloads, the API and input shapes', () => {
  test('a schema-6 study reads back on the generated workload over v1, and a workload needs both its file and its hash', () => {
    const path = freshPath();
    const raw = new BetterSqlite3(path);
    for (const migration of MIGRATIONS.slice(0, 6)) raw.exec(migration.sql);
    raw.pragma('user_version = 6');
    raw.prepare(`INSERT INTO studies (id, model, concurrency, strategy, seed, budget, objective, space_json, duration_s, warmup_s, host_json, created_at)
      VALUES ('old', 'gan', 1, 'random', 3, 10, 'mean', '{}', 10, 2, '{"cpus":2}', '2026-01-01T00:00:00.000Z')`).run();
    raw.close();
    const storage = open(path);
    const old = storage.getStudy('old');
    assert.deepEqual([old?.workload, old?.api, old?.inputShapes], [undefined, undefined, undefined]);
    storage.close();
    const check = new BetterSqlite3(path);
    assert.throws(() => check.prepare("UPDATE studies SET workload_file = 'w.jsonl' WHERE id = 'old'").run(), /CHECK constraint failed/);
    assert.throws(() => check.prepare("UPDATE studies SET api = 'v3' WHERE id = 'old'").run(), /CHECK constraint failed/);
    check.close();
  });
});

describe('SqliteStorage durability', () => {
  test('finishing a trial is all or nothing: a failed histogram write leaves the trial running', () => {
    const path = freshPath();
    const storage = open(path);
    storage.createStudy(aStudy());
    storage.startTrial('resnet-c8-bo-1', 0, someParams);
    // A trigger makes the second bucket insert fail after the trial row was already updated in the transaction.
    const raw = new BetterSqlite3(path);
    raw.exec(`CREATE TRIGGER refuse_big BEFORE INSERT ON histograms WHEN NEW.upper_ms > 100
      BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    raw.close();
    const histogram = [{ upperMs: 10, count: 5 }, { upperMs: 1000, count: 1 }];
    assert.throws(() => storage.finishTrial('resnet-c8-bo-1', 0, { state: 'complete', metrics: someMetrics(), histogram }));
    assert.equal(storage.trials('resnet-c8-bo-1')[0]?.state, 'running');
    assert.equal(storage.trials('resnet-c8-bo-1')[0]?.metrics, undefined);
    assert.deepEqual(storage.histogram('resnet-c8-bo-1', 0), []);
    storage.close();
  });
});

describe('SqliteStorage unusable databases', () => {
  test('a file that is not SQLite is reported as corrupt', () => {
    const path = freshPath();
    writeFileSync(path, 'name,latency\nresnet,42\n'.repeat(100));
    assertOpenFails(path, 'db_corrupt', /is not a tune database/);
  });

  test('a missing directory is named', () => {
    assertOpenFails(join(dir, 'no-such-dir', 'x.db'), 'db_unopenable', /no-such-dir does not exist/);
  });

  test('a write blocked by another writer beyond the busy timeout fails as db_locked', () => {
    const path = freshPath();
    const storage = open(path, { busyTimeoutMs: 50 });
    const other = new BetterSqlite3(path);
    other.exec('BEGIN EXCLUSIVE');
    try {
      assert.throws(
        () => storage.createStudy(aStudy()),
        (e: unknown) => (e as { code?: string }).code === 'db_locked' && /is locked by another writer/.test((e as Error).message),
      );
      // Opening migrates under the write lock, so it waits for the writer too.
      assertOpenFails(path, 'db_locked');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    storage.createStudy(aStudy());
    assert.equal(storage.listStudies().length, 1);
    storage.close();
  });

  test('a read-only file is refused at open', (t) => {
    const path = freshPath();
    open(path).close();
    if (!immutable(path, true)) return t.skip('cannot make a path read-only here');
    try {
      assertOpenFails(path, 'db_readonly', /is read-only/);
    } finally {
      immutable(path, false);
    }
  });

  test('a new file in a read-only directory is refused at open', (t) => {
    const locked = join(dir, 'readonly-dir');
    mkdirSync(locked);
    if (!immutable(locked, true)) return t.skip('cannot make a path read-only here');
    try {
      assertOpenFails(join(locked, 'x.db'), 'db_readonly', /is read-only/);
    } finally {
      immutable(locked, false);
    }
  });
});

describe('SqliteStorage read-only opening (for reports)', () => {
  test('reads what a writer stored, and refuses to write', () => {
    const path = freshPath();
    const writer = open(path);
    writer.createStudy(aStudy());
    const reader = open(path, { readOnly: true });
    assert.deepEqual(reader.listStudies(), [aStudy()]);
    assert.throws(() => reader.createStudy(aStudy({ id: 'other' })), (e: unknown) => (e as { code?: string }).code === 'db_readonly');
    reader.close();
    writer.close();
  });

  test('works on a file it may not change', (t) => {
    const path = freshPath();
    const writer = open(path);
    writer.createStudy(aStudy());
    writer.close();
    if (!immutable(path, true)) return t.skip('cannot make a path read-only here');
    try {
      const reader = open(path, { readOnly: true });
      assert.equal(reader.listStudies().length, 1);
      reader.close();
    } finally {
      immutable(path, false);
    }
  });

  test('a missing file, another program’s database and a too-new schema are refused', () => {
    const missing = SqliteStorage.open(join(dir, 'missing.db'), { readOnly: true });
    assert.equal(!missing.ok && missing.error.code, 'db_unopenable');
    const foreign = freshPath();
    rawly(foreign, (db) => db.exec('CREATE TABLE notes (text TEXT)'));
    const opened = SqliteStorage.open(foreign, { readOnly: true });
    assert.equal(!opened.ok && opened.error.code, 'db_corrupt');
    const newer = freshPath();
    rawly(newer, (db) => db.pragma('user_version = 9'));
    const tooNew = SqliteStorage.open(newer, { readOnly: true });
    assert.equal(!tooNew.ok && tooNew.error.code, 'schema_too_new');
  });
});

test('opening another program’s SQLite file for writing leaves it untouched', () => {
  const path = freshPath();
  const raw = new BetterSqlite3(path);
  raw.exec('CREATE TABLE notes (text TEXT)');
  raw.close();
  assertOpenFails(path, 'db_corrupt', /not a tune database/);
  const check = new BetterSqlite3(path, { readonly: true });
  assert.deepEqual(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all(), ['notes']);
  check.close();
});
