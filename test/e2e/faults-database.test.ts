/**
 * The study database in a state tune cannot write: locked by another connection (BEGIN EXCLUSIVE),
 * read-only (chattr +i as root, chmod otherwise), or from a newer schema (user_version high). Each gives
 * one clear line naming the database, exit 1, and leaves the file byte-identical.
 */
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { prepareStudy } from '../../src/app/study-setup.ts';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { SqliteStorage } from '../../src/storage/sqlite.ts';
import { assertOneLine, linesOf } from '../../support/one-line.ts';
import { fileHash, removeStudyContainers } from '../../support/study-state.ts';
import { runTune } from '../../support/tune-process.ts';
import { requireDocker } from './docker-available.ts';

const STORED = 'faults-db-stored';

/** Makes a file unwritable even for root (immutable attribute), or writable again. */
function immutable(path: string, on: boolean): void {
  if (process.getuid?.() === 0) execFileSync('chattr', [on ? '+i' : '-i', path]);
  else chmodSync(path, on ? 0o444 : 0o644);
}

describe('fault: a database tune cannot write', () => {
  const docker = createDockerClient();
  const dir = mkdtempSync(join(tmpdir(), 'tune-faults-db-'));
  const template = join(dir, 'template.db');
  const newStudy = `faults-db-${process.pid}`;

  before(async () => {
    const opened = SqliteStorage.open(template);
    if (!opened.ok) throw new Error(opened.error.message);
    const setup = await prepareStudy({ model: 'gan', concurrency: 2, budget: 2, db: template, name: STORED }, opened.storage);
    opened.storage.createStudy(setup.study);
    opened.storage.close(); // checkpoints the WAL: the template is one self-contained file
  });

  after(async () => {
    await removeStudyContainers(docker, newStudy);
    await removeStudyContainers(docker, STORED);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh copy of the template, a new study and a resume both tried against it. */
  async function expectRefused(name: string, spoil: (db: string) => () => void, reason: RegExp): Promise<void> {
    const db = join(dir, `${name}.db`);
    copyFileSync(template, db);
    const restore = spoil(db);
    const hash = fileHash(db);
    try {
      for (const args of [
        ['--model', 'gan', '--concurrency', '2', '--budget', '2', '--duration', '1', '--warmup', '0', '--name', newStudy, '--db', db],
        ['--resume', STORED, '--db', db],
      ]) {
        const run = await runTune(args, {}, 120_000);
        const lines = linesOf(run.stderr.join('\n'));
        const last = lines.at(-1) ?? '';
        console.log(`${name}: tune ${args[0]} … exited ${run.code}: ${last}`);
        assert.equal(run.code, 1, lines.join('\n'));
        assertOneLine(last, `${name} error`);
        assert.match(last, reason);
        assert.ok(last.includes(db), 'the line names the database');
        assert.ok(!lines.some((line) => /^\s+at\s/.test(line)), 'no stack trace');
      }
    } finally {
      restore();
    }
    assert.equal(fileHash(db), hash, 'the database file is unchanged');
  }

  test('locked by another connection holding BEGIN EXCLUSIVE', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    await expectRefused(
      'locked',
      (db) => {
        const holder = new BetterSqlite3(db);
        holder.exec('BEGIN EXCLUSIVE');
        return () => {
          holder.exec('ROLLBACK');
          holder.close();
        };
      },
      /lock|busy/i,
    );
  });

  test('read-only (immutable file)', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    await expectRefused(
      'readonly',
      (db) => {
        immutable(db, true);
        return () => immutable(db, false);
      },
      /read-only|readonly|writable/i,
    );
  });

  test('written by a newer schema', { timeout: 300_000 }, async (t) => {
    if (!(await requireDocker(t))) return;
    await expectRefused(
      'newer',
      (db) => {
        const raw = new BetterSqlite3(db);
        raw.pragma('user_version = 99');
        raw.close();
        return () => undefined;
      },
      /newer|version|upgrade/i,
    );
  });
});
