/** Optional Hugging Face files beside a user's model: config.json, tokenizer_config.json and the tokenizer's files. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type HfConfig = Record<string, unknown>;

/** The files read here, by their Hugging Face names. */
export const HF_FILES = {
  config: 'config.json',
  tokenizerConfig: 'tokenizer_config.json',
  vocabJson: 'vocab.json',
  vocabTxt: 'vocab.txt',
  sourceSpm: 'source.spm',
  targetSpm: 'target.spm',
} as const;

/** config.json as an object; {} when absent or unreadable (every field has a fallback). */
export function readHfConfig(dir: string): HfConfig {
  return readJsonObject(join(dir, HF_FILES.config));
}

/** tokenizer_config.json as an object; {} when absent or unreadable. */
export function readTokenizerConfig(dir: string): HfConfig {
  return readJsonObject(join(dir, HF_FILES.tokenizerConfig));
}

function readJsonObject(path: string): HfConfig {
  if (!existsSync(path)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as HfConfig) : {};
  } catch {
    return {};
  }
}

export function configNumber(config: HfConfig, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

export function configBoolean(config: HfConfig, key: string): boolean | undefined {
  const value = config[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** A token setting such as unk_token: a plain string, or an AddedToken object's "content". */
export function configToken(config: HfConfig, key: string): string | undefined {
  const value = config[key];
  if (typeof value === 'string') return value;
  const content = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['content'] : undefined;
  return typeof content === 'string' ? content : undefined;
}

/** The vocabulary file of a folder: vocab.json, else vocab.txt; undefined when it has neither. */
export function vocabularyFile(dir: string): string | undefined {
  return [HF_FILES.vocabJson, HF_FILES.vocabTxt].find((name) => existsSync(join(dir, name)));
}

/** token → id from vocab.json, or from vocab.txt (BERT style: the id is the line number). */
export function readVocabulary(dir: string): Record<string, number> | undefined {
  const file = vocabularyFile(dir);
  return file === undefined ? undefined : readVocabularyFile(join(dir, file));
}

export function readVocabularyFile(path: string): Record<string, number> {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) return JSON.parse(text) as Record<string, number>;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return Object.fromEntries(lines.map((token, id) => [token, id]));
}
