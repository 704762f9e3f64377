/**
 * Reads a JSON request body defensively: refuses non-JSON media types, refuses oversized bodies from the
 * Content-Length header or, without one, as soon as the streamed byte count passes the limit (never
 * buffering the whole thing), rejects invalid UTF-8 and nesting deeper than any instance needs.
 */
import { fail, succeed, type Outcome } from './api-error.ts';

/** [H][W][C] images are 3 levels inside "instances"; anything far deeper is an attack or a mistake. */
export const MAX_JSON_DEPTH = 32;

export async function readJsonBody(request: Request, maxBytes: number): Promise<Outcome<unknown>> {
  const mediaType = (request.headers.get('content-type') ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return fail('unsupported_media_type', `content-type ${mediaType} is not supported: send application/json`);
  }
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) return tooLarge(maxBytes);
  const bytes = await readLimited(request, maxBytes);
  if (bytes === undefined) return tooLarge(maxBytes);
  return parseJson(bytes);
}

export function parseJson(bytes: Uint8Array): Outcome<unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('bad_json', 'request body is not valid UTF-8');
  }
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    return fail('bad_json', `request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return succeed(JSON.parse(text) as unknown);
  } catch (error) {
    return fail('bad_json', `request body is not valid JSON: ${(error as Error).message.replace(/\s+/g, ' ')}`);
  }
}

function tooLarge(maxBytes: number): Outcome<never> {
  return fail('body_too_large', `request body exceeds ${maxBytes} bytes: send fewer instances per request`);
}

/** Collects the body, or returns undefined (and cancels the stream) once it passes maxBytes. */
async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Deepest [ / { nesting outside strings; a linear scan, so hostile input cannot exhaust the stack. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
