/**
 * Parses one text instance, {"text": string} or {"input_ids": number[]}, into token ids. Text goes through
 * the model's tokenizer (which adds the model's special tokens); input_ids are taken as given. Sequences
 * longer than the model accepts are refused (text_too_long) rather than silently cut, so a client never
 * gets a prediction for text it did not send.
 */
import { fail, succeed, type Outcome } from '../api-error.ts';
import { typeName } from './image-instance.ts';

/** Text → token ids including the model's special tokens (e.g. [CLS] … [SEP], or … </s>). */
export type Tokenize = (text: string) => number[];

export interface TokenLimits {
  maxTokens: number;
  vocabSize: number;
  tokenize?: Tokenize;
}

export function parseTokens(instance: unknown, limits: TokenLimits): Outcome<number[]> {
  if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) {
    return fail('wrong_type', `a text instance must be an object with "text" or "input_ids", got ${typeName(instance)}`);
  }
  const fields = instance as Record<string, unknown>;
  if ('text' in fields) return tokenizeText(fields.text, limits);
  if ('input_ids' in fields) return checkIds(fields.input_ids, limits);
  return fail('bad_instances', 'a text instance needs a "text" string or an "input_ids" array');
}

function tokenizeText(text: unknown, limits: TokenLimits): Outcome<number[]> {
  if (typeof text !== 'string') return fail('wrong_type', `"text" must be a string, got ${typeName(text)}`);
  if (text.length === 0) return fail('bad_instances', '"text" is empty');
  if (limits.tokenize === undefined) return fail('bad_instances', 'this model has no tokenizer: send "input_ids"');
  // A token covers at least one UTF-16 unit, so very long text cannot fit: refuse it before tokenizing.
  if (text.length > limits.maxTokens * 64) return tooLong(text.length, limits.maxTokens, 'characters');
  const ids = limits.tokenize(text);
  return ids.length > limits.maxTokens ? tooLong(ids.length, limits.maxTokens, 'tokens') : succeed(ids);
}

function checkIds(ids: unknown, limits: TokenLimits): Outcome<number[]> {
  if (!Array.isArray(ids)) return fail('wrong_type', `"input_ids" must be an array, got ${typeName(ids)}`);
  if (ids.length === 0) return fail('bad_instances', '"input_ids" is empty');
  if (ids.length > limits.maxTokens) return tooLong(ids.length, limits.maxTokens, 'tokens');
  for (let i = 0; i < ids.length; i++) {
    const id: unknown = ids[i];
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= limits.vocabSize) {
      return fail('wrong_type', `input_ids[${i}] must be an integer token id from 0 to ${limits.vocabSize - 1}`);
    }
  }
  return succeed(ids as number[]);
}

function tooLong(length: number, max: number, unit: string): Outcome<never> {
  return fail('text_too_long', `instance has ${length} ${unit}, the model accepts at most ${max} tokens: shorten it`);
}
