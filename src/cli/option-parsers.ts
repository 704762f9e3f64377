/**
 * Parsers for option values, as yargs `coerce` functions: each returns the typed value or throws one usage
 * line naming the option, what it got and what it takes.
 */
import { TuneError, usageError } from '../app/errors.ts';
import { OBJECTIVES, parseObjectives, type Objective } from '../domain/vocabulary.ts';

/** yargs hands an array when an option is repeated; the last one wins, as in most CLIs. */
function last(raw: unknown): unknown {
  return Array.isArray(raw) ? raw[raw.length - 1] : raw;
}

export function wholeNumber(option: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: unknown): number => {
    const text = String(last(raw)).trim();
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      throw usageError(`--${option} must be a whole number from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
}

const SECONDS_PER_UNIT: Record<string, number> = { ms: 0.001, s: 1, m: 60, min: 60 };

/** "30", "30s", "1.5m", "500ms" → seconds. A bare number means seconds. */
export function seconds(option: string, min: number) {
  return (raw: unknown): number => {
    const text = String(last(raw)).trim();
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min)?$/.exec(text);
    const value = match ? Number(match[1]) * SECONDS_PER_UNIT[match[2] ?? 's']! : NaN;
    if (!(value >= min)) throw usageError(`--${option} must be a time of at least ${min} s (e.g. 30 or 30s), got "${text}"`);
    return value;
  };
}

const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

/** A latency with its unit: "200ms", "0.2s", "150000us" → milliseconds. The unit is required. */
export function latencyMs(option: string) {
  return (raw: unknown): number => {
    const text = String(last(raw)).trim();
    const match = /^(\d+(?:\.\d+)?)\s*([a-zµ]+)$/i.exec(text);
    const factor = match ? MS_PER_UNIT[match[2]!.toLowerCase()] : undefined;
    if (!match || factor === undefined || !(Number(match[1]) > 0)) {
      throw usageError(`--${option} must be a latency with a unit (us, ms or s), e.g. 200ms; got "${text}"`);
    }
    return Number(match[1]) * factor;
  };
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(option: string, allowed: readonly T[]) {
  return (raw: unknown): T => {
    const text = String(last(raw)).trim();
    if (!allowed.includes(text as T)) throw usageError(`unknown --${option} "${text}": choose ${listOf(allowed)}`);
    return text as T;
  };
}

/** A switch given as on or off. */
export function onOff(option: string) {
  const choice = oneOf(option, ['on', 'off'] as const);
  return (raw: unknown): boolean => choice(raw) === 'on';
}

/** "mean", or "mean,cost" for a trade-off study: the objectives in order (parsed by domain/vocabulary.ts). */
export function objectiveList(option: string) {
  return (raw: unknown): Objective[] => {
    const parsed = parseObjectives(String(last(raw)).trim());
    if (!parsed.ok) throw new TuneError(parsed.code, `--${option}: ${parsed.message}`, 'usage');
    return parsed.objectives;
  };
}

/** One objective, for the campaigns: their tables compare strategies on a single number. */
export function singleObjective(option: string) {
  const parseOne = oneOf(option, OBJECTIVES);
  return (raw: unknown): Objective => {
    const text = String(last(raw)).trim();
    if (text.includes(',')) throw usageError(`--${option} "${text}": this command compares on one objective; search a trade-off with: tune --objective ${text}`);
    return parseOne(text);
  };
}

/** "fp32,int8" or repeated options → distinct values from a fixed set. */
export function listOfChoices<T extends string>(option: string, allowed: readonly T[]) {
  const parseOne = oneOf(option, allowed);
  return (raw: unknown): T[] => [...new Set(splitList(raw).map(parseOne))];
}

/** "1,2,3" → [1, 2, 3]. */
export function listOfWholeNumbers(option: string, min: number) {
  const parseOne = wholeNumber(option, min);
  return (raw: unknown): number[] => [...new Set(splitList(raw).map(parseOne))];
}

/** "a,b" or repeated options → distinct non-empty words. */
export function commaList(option: string) {
  return (raw: unknown): string[] => {
    const words = [...new Set(splitList(raw))];
    if (words.length === 0) throw usageError(`--${option} needs at least one name, got "${String(last(raw))}"`);
    return words;
  };
}

function splitList(raw: unknown): string[] {
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item) => String(item).split(','));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

export function listOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
