/**
 * Storage failures, each with a stable code and a one-line message that names the problem and the remedy.
 * Opening returns them in a result union (a bad --db is an expected outcome); operations on an open storage
 * throw them (a lock that outlasts the busy timeout, or a caller breaking the trial life cycle).
 */
export type StorageErrorCode =
  | 'schema_too_new'
  | 'schema_too_old'
  | 'db_locked'
  | 'db_readonly'
  | 'db_corrupt'
  | 'db_unopenable'
  | 'study_exists'
  | 'study_not_found'
  | 'trial_exists'
  | 'trial_not_found'
  | 'trial_not_running'
  | 'invalid_histogram';

export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError;
}
