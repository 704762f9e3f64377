/**
 * Reading a search-space file: UTF-8 JSON without a byte-order mark. Encoding problems and JSON syntax errors
 * become one-line SpaceErrors naming the file, like every other problem with the space.
 */
import { readFile } from 'node:fs/promises';
import { parseSearchSpace, type SpaceContext } from './parse.ts';
import type { SearchSpace } from './space.ts';
import { SpaceError, type SpaceResult } from './space-error.ts';

export async function loadSearchSpace(path: string, context: SpaceContext = {}): Promise<SpaceResult<SearchSpace>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return fail('unreadable', `${path}: cannot read the search-space file (${reason}); check the path`);
  }
  return parseSearchSpaceBytes(bytes, path, context);
}

export function parseSearchSpaceBytes(bytes: Uint8Array, fileName: string, context: SpaceContext = {}): SpaceResult<SearchSpace> {
  const text = decodeUtf8(bytes, fileName);
  if (!text.ok) return text;
  if (text.value.trim() === '') return fail('empty_file', `${fileName}: the file is empty; it must hold a JSON object with "parameters"`);
  let document: unknown;
  try {
    document = JSON.parse(text.value);
  } catch (error) {
    return fail('invalid_json', `${fileName}: invalid JSON: ${(error as Error).message}`);
  }
  return parseSearchSpace(document, fileName, context);
}

function decodeUtf8(bytes: Uint8Array, fileName: string): SpaceResult<string> {
  const [b0, b1, b2] = bytes;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || bytes.includes(0)) {
    return fail('bad_encoding', `${fileName}: the file looks like UTF-16; save it as UTF-8`);
  }
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return fail('bad_encoding', `${fileName}: the file starts with a byte-order mark; save it as UTF-8 without BOM`);
  }
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return fail('bad_encoding', `${fileName}: the file is not valid UTF-8; save it as UTF-8`);
  }
}

function fail<T>(code: SpaceError['code'], message: string): SpaceResult<T> {
  return { ok: false, error: new SpaceError(code, message) };
}
