import type { LoadErrorKind } from './types.ts';

/** A 503 is the server shedding load: an error of its own kind, never a fast answer. */
export function statusErrorKind(status: number): LoadErrorKind | undefined {
  if (status === 503) return 'http_503';
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return undefined;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

/** Classifies a thrown request error by its code (undici and Node both set `code`). */
export function thrownErrorKind(error: unknown): LoadErrorKind {
  const code = errorCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) return 'timeout';
  if (code !== undefined && CONNECTION_CODES.has(code)) return 'connection';
  return 'other';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return errorCode((error as { cause?: unknown }).cause);
}
