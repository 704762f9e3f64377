/** Opening the study database for a command, with one-line errors that say what to do. */
import { existsSync } from 'node:fs';
import { SqliteStorage } from '../storage/sqlite.ts';
import type { StudyRecord } from '../domain/records.ts';
import { TuneError, usageError } from './errors.ts';

/** Opens (creating if needed) the database a study writes to. */
export function openStorage(db: string): SqliteStorage {
  const opened = SqliteStorage.open(db);
  if (!opened.ok) throw new TuneError(opened.error.code, opened.error.message);
  return opened.storage;
}

/** Opens a database that must already hold studies (for the read-only commands). */
export function openExistingStorage(db: string): SqliteStorage {
  if (db !== ':memory:' && !existsSync(db)) {
    throw usageError(`no database at ${db}: run a study first (tune --model ...) or pass --db <file>`);
  }
  return openStorage(db);
}

export function requireStudy(storage: { getStudy(id: string): StudyRecord | undefined }, id: string, db: string): StudyRecord {
  const study = storage.getStudy(id);
  if (!study) throw usageError(`no study "${id}" in ${db}: list the studies with: tune studies --db ${db}`);
  return study;
}

/** Runs `body` with the storage open, closing it however body ends. */
export async function withStorage<T>(storage: SqliteStorage, body: (storage: SqliteStorage) => T | Promise<T>): Promise<T> {
  try {
    return await body(storage);
  } finally {
    storage.close();
  }
}
