/**
 * Which tokenizer a user's export folder gets, read from the files Hugging Face / Optimum ship beside the
 * graphs: a Marian export (source.spm, target.spm, vocab.json) gets SentencePiece; a BERT export (vocab.txt,
 * or a vocab.json of "##" pieces) gets WordPiece with tokenizer_config.json's casing; a bare vocab.json
 * gets the greedy longest-match fallback. No vocabulary file: no spec (the hash tokenizer).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { configBoolean, configToken, HF_FILES, readHfConfig, readTokenizerConfig, readVocabularyFile, vocabularyFile } from './hf-config.ts';
import type { TokenizerSpec } from './manifest.ts';
import type { FileMap } from './user-cache.ts';

export interface FolderTokenizer {
  spec: TokenizerSpec;
  /** source path → file name in the staged model directory. */
  files: FileMap;
}

/** The file names a spec reads from the model directory. */
export function tokenizerFiles(spec: TokenizerSpec | undefined): string[] {
  if (spec === undefined) return [];
  return spec.kind === 'sentencepiece' ? [spec.source, spec.target, spec.vocab] : [spec.vocab];
}

/** MarianTokenizer's files: vocab.json plus both SentencePiece models; vocab.json alone falls back to greedy matching. */
export function marianTokenizer(folder: string): FolderTokenizer | undefined {
  if (!existsSync(join(folder, HF_FILES.vocabJson))) return undefined;
  const hasModels = [HF_FILES.sourceSpm, HF_FILES.targetSpm].every((name) => existsSync(join(folder, name)));
  const spec: TokenizerSpec = hasModels
    ? { kind: 'sentencepiece', source: HF_FILES.sourceSpm, target: HF_FILES.targetSpm, vocab: HF_FILES.vocabJson, unkToken: configToken(readTokenizerConfig(folder), 'unk_token') ?? '<unk>' }
    : { kind: 'vocab', vocab: HF_FILES.vocabJson };
  return { spec, files: filesOf(folder, spec) };
}

/**
 * BertTokenizer's settings: do_lower_case from tokenizer_config.json (else config.json, else uncased, BERT's
 * default); strip_accents unset follows the casing; tokenize_chinese_chars defaults to on.
 */
export function bertTokenizer(folder: string): FolderTokenizer | undefined {
  const file = vocabularyFile(folder);
  if (file === undefined) return undefined;
  const isWordPiece = file === HF_FILES.vocabTxt || Object.keys(readVocabularyFile(join(folder, file))).some((token) => token.startsWith('##'));
  if (!isWordPiece) return { spec: { kind: 'vocab', vocab: file }, files: filesOf(folder, { kind: 'vocab', vocab: file }) };
  const settings = readTokenizerConfig(folder);
  const lowercase = configBoolean(settings, 'do_lower_case') ?? configBoolean(readHfConfig(folder), 'do_lower_case') ?? true;
  const spec: TokenizerSpec = {
    kind: 'wordpiece',
    vocab: file,
    lowercase,
    stripAccents: configBoolean(settings, 'strip_accents') ?? lowercase,
    splitChinese: configBoolean(settings, 'tokenize_chinese_chars') ?? true,
    unkToken: configToken(settings, 'unk_token') ?? '[UNK]',
  };
  return { spec, files: filesOf(folder, spec) };
}

/**
 * The tokenizer files present in a folder, for the staged directory's key: editing any of them (or adding
 * one) stages the model afresh.
 */
export function tokenizerKeyFiles(folder: string): FileMap {
  const names = [HF_FILES.vocabJson, HF_FILES.vocabTxt, HF_FILES.sourceSpm, HF_FILES.targetSpm, HF_FILES.tokenizerConfig];
  return Object.fromEntries(names.filter((name) => existsSync(join(folder, name))).map((name) => [join(folder, name), name]));
}

function filesOf(folder: string, spec: TokenizerSpec): FileMap {
  return Object.fromEntries(tokenizerFiles(spec).map((name) => [join(folder, name), name]));
}
