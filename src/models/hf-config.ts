/** Optional Hugging Face files beside a user's model: config.json and a vocabulary. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type HfConfig = Record<string, unknown>;

/** The files read here, by their Hugging Face names. */
export const HF_FILES = { config: 'config.json', vocabJson: 'vocab.json', vocabTxt: 'vocab.txt' } as const;

/** config.json as an object; {} when absent or unreadable (every field has a fallback). */
export function readHfConfig(dir: string): HfConfig {
  const path = join(dir, HF_FILES.config);
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

/** token → id from vocab.json, or from vocab.txt (BERT style: the id is the line number). */
export function readVocabulary(dir: string): Record<string, number> | undefined {
  const json = join(dir, HF_FILES.vocabJson);
  if (existsSync(json)) return JSON.parse(readFileSync(json, 'utf8')) as Record<string, number>;
  const txt = join(dir, HF_FILES.vocabTxt);
  if (!existsSync(txt)) return undefined;
  const lines = readFileSync(txt, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return Object.fromEntries(lines.map((token, id) => [token, id]));
}
