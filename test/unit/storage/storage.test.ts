import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { MemoryStorage } from '../../../src/storage/memory.ts';
import { SqliteStorage } from '../../../src/storage/sqlite.ts';
import { storageContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'tune-storage-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function openSqlite(path: string, now: () => Date): SqliteStorage {
  const opened = SqliteStorage.open(path, { now });
  if (!opened.ok) throw opened.error;
  return opened.storage;
}

storageContract('MemoryStorage', (now) => new MemoryStorage(now));
storageContract('SqliteStorage on a file', (now) => openSqlite(join(dir, `contract-${files++}.db`), now));
storageContract('SqliteStorage in memory', (now) => openSqlite(':memory:', now));
