/** Translates SQLite's error codes into StorageErrors that tell the user what to do. */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StorageError } from './errors.ts';

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readonlyError(path: string): StorageError {
  return new StorageError('db_readonly', `${path} is read-only: make the file and its directory writable or use another --db`);
}

/** Explains a failure to open: SQLite reports an unwritable directory and a missing one alike as CANTOPEN. */
function cannotOpen(path: string, error: unknown): StorageError {
  const directory = dirname(path);
  if (!existsSync(directory)) {
    return new StorageError('db_unopenable', `cannot open ${path}: directory ${directory} does not exist: create it or use another --db`);
  }
  if (!isWritable(directory) || (existsSync(path) && !isWritable(path))) return readonlyError(path);
  const reason = error instanceof Error ? error.message : String(error);
  return new StorageError('db_unopenable', `cannot open ${path} (${reason}): check the path or use another --db`);
}

/** Returns the StorageError for a SQLite failure; errors that are not SQLite's are returned unchanged. */
export function translateSqliteError(error: unknown, path: string, busyTimeoutMs: number): unknown {
  if (error instanceof StorageError) return error;
  const code = sqliteCode(error);
  if (code === undefined) {
    // better-sqlite3 checks the directory itself before SQLite sees the path.
    return error instanceof TypeError && /directory does not exist/.test(error.message) ? cannotOpen(path, error) : error;
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StorageError(
      'db_locked',
      `${path} is locked by another writer (waited ${busyTimeoutMs} ms): let the other tune run finish or use another --db`,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) return readonlyError(path);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StorageError('db_corrupt', `${path} is not a tune database (not SQLite, or damaged): use another --db`);
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) return cannotOpen(path, error);
  return error;
}
