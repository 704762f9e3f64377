/**
 * The error the application layer throws when a command cannot go on: a stable code, one line for the user that
 * says what to do, and whether the request itself was wrong (`usage`) or running it failed (`failure`). The CLI
 * turns the kind into an exit code; nothing below the entry point exits.
 */
export class TuneError extends Error {
  override readonly name = 'TuneError';
  constructor(
    readonly code: string,
    message: string,
    readonly kind: 'usage' | 'failure' = 'failure',
  ) {
    super(message);
  }
}

/** A request that cannot be run as written. */
export function usageError(message: string): TuneError {
  return new TuneError('bad_usage', message, 'usage');
}
