/**
 * The one error type the CLI turns into an exit code: a stable code, one line for the user, and whether
 * it was the user's command line (exit 2) or the run itself (exit 1) that went wrong.
 */
export type ExitCode = 0 | 1 | 2;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** A command line that cannot be run as written. */
export function usageError(message: string): CliError {
  return new CliError('bad_usage', message, 2);
}

/** Any error as one line without a stack: the first line of its message. */
export function oneLineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
