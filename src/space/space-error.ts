/** Why a search space could not be read. Every message is one line naming the file and, where it applies, the parameter. */
export type SpaceErrorCode =
  | 'unreadable'
  | 'empty_file'
  | 'bad_encoding'
  | 'invalid_json'
  | 'not_an_object'
  | 'unknown_key'
  | 'missing_key'
  | 'wrong_type'
  | 'bad_name'
  | 'duplicate_name'
  | 'no_parameters'
  | 'unknown_kind'
  | 'not_finite'
  | 'low_above_high'
  | 'log_needs_positive_low'
  | 'bad_step'
  | 'not_power_of_two'
  | 'empty_choices'
  | 'duplicate_choice'
  | 'default_out_of_range'
  | 'constraint_syntax'
  | 'constraint_unknown_name'
  | 'constraint_categorical'
  | 'constraints_unsatisfiable'
  | 'default_infeasible'
  | 'pin_unknown_parameter'
  | 'pin_out_of_range';

export class SpaceError extends Error {
  override readonly name = 'SpaceError';
  constructor(
    readonly code: SpaceErrorCode,
    message: string,
  ) {
    // User text (names, keys, constraints, JSON.parse snippets) may hold line breaks: keep the message one line.
    super(message.replace(/[\r\n\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1)));
  }
}

export type SpaceResult<T> = { ok: true; value: T } | { ok: false; error: SpaceError };

/** Runs a validation that throws SpaceError deep inside and turns it into a result at the boundary. */
export function captureSpaceError<T>(validate: () => T): SpaceResult<T> {
  try {
    return { ok: true, value: validate() };
  } catch (error) {
    if (error instanceof SpaceError) return { ok: false, error };
    throw error;
  }
}

/** For callers (scripts, tests, benchmarks) where a bad space is a programming error. */
export function unwrapSpace<T>(result: SpaceResult<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
