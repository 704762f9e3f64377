/**
 * Reading fields of a parsed JSON document with one-line errors that say where the problem is,
 * e.g. `search-spaces/x.json: parameter "cpus": "low" must be a finite number, got "1"`.
 */
import { SpaceError, type SpaceErrorCode } from './space-error.ts';

export type RawObject = Readonly<Record<string, unknown>>;

/** `where` prefixes every message: the file, and the parameter when there is one. */
export class FieldReader {
  constructor(
    readonly raw: RawObject,
    readonly where: string,
  ) {}

  fail(code: SpaceErrorCode, detail: string): never {
    throw new SpaceError(code, `${this.where}: ${detail}`);
  }

  /** Rejects keys outside `allowed`, which catches typos such as "lo" for "low". */
  onlyKeys(allowed: readonly string[]): void {
    for (const key of Object.keys(this.raw)) {
      if (!allowed.includes(key)) this.fail('unknown_key', `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  number(key: string): number {
    const value = this.raw[key];
    if (value === undefined) this.fail('missing_key', `"${key}" is required`);
    return this.finite(key, value);
  }

  optionalNumber(key: string): number | undefined {
    const value = this.raw[key];
    return value === undefined ? undefined : this.finite(key, value);
  }

  optionalBoolean(key: string): boolean | undefined {
    const value = this.raw[key];
    if (value === undefined || typeof value === 'boolean') return value;
    return this.fail('wrong_type', `"${key}" must be true or false, got ${show(value)}`);
  }

  string(key: string): string {
    const value = this.raw[key];
    if (value === undefined) this.fail('missing_key', `"${key}" is required`);
    if (typeof value !== 'string') this.fail('wrong_type', `"${key}" must be a string, got ${show(value)}`);
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.raw[key] === undefined ? undefined : this.string(key);
  }

  array(key: string): readonly unknown[] | undefined {
    const value = this.raw[key];
    if (value === undefined || Array.isArray(value)) return value;
    return this.fail('wrong_type', `"${key}" must be an array, got ${show(value)}`);
  }

  private finite(key: string, value: unknown): number {
    if (typeof value !== 'number') this.fail('wrong_type', `"${key}" must be a number, got ${show(value)}`);
    if (!Number.isFinite(value)) this.fail('not_finite', `"${key}" must be a finite number, got ${show(value)}`);
    return value;
  }
}

export function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a JSON value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    return 'a value nested too deeply'; // JSON.stringify recurses: hostile nesting overflows the stack
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
