/**
 * Every refusal the server can give: a stable code, its HTTP status, and one line for humans.
 * Handlers return these as values; only the HTTP edge turns them into responses.
 */
import type { ErrorBody } from './protocol.ts';

export const ERROR_STATUS = {
  bad_request: 400,
  bad_config: 400,
  bad_json: 400,
  bad_instances: 400,
  wrong_shape: 400,
  wrong_type: 400,
  text_too_long: 400,
  /** A V2 inference request names an input or asks for an output the model does not have. */
  unknown_input: 400,
  unknown_output: 400,
  not_found: 404,
  unknown_model: 404,
  method_not_allowed: 405,
  body_too_large: 413,
  unsupported_media_type: 415,
  /** A live configuration change while inference is queued or running (or another change is under way). */
  busy: 409,
  inference_failed: 500,
  /** New sessions could not be opened: the replica goes on with the old ones. */
  reload_failed: 500,
  internal: 500,
  queue_full: 503,
  not_ready: 503,
  /** Predictions wait for new sessions being swapped in by a live configuration change. */
  reloading: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function fail(code: ErrorCode, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

export function succeed<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function errorResponse(error: ApiError, headers: Record<string, string> = {}): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  return jsonResponse(ERROR_STATUS[error.code], body, headers);
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
