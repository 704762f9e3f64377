/**
 * A user's Hugging Face Optimum seq2seq export folder (encoder_model.onnx, decoder_model.onnx,
 * decoder_with_past_model.onnx; `optimum-cli export onnx --task text2text-generation-with-past`).
 * Sizes and special ids come from config.json when present, else from the graphs' input shapes with
 * Marian's conventions (eos 0, pad = decoder start = last id) as the fallback. The tokenizer files beside
 * them (source.spm, target.spm, vocab.json: MarianTokenizer's) are staged too, see tokenizer-spec.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_LENGTH_RATIO } from './builders/marian.ts';
import { configNumber, readHfConfig, readVocabulary, type HfConfig } from './hf-config.ts';
import { inspectOnnx, type GraphSignature } from './inspect.ts';
import type { Precision, TranslatorManifest } from './manifest.ts';
import { modelError } from './model-error.ts';
import { marianTokenizer, tokenizerKeyFiles } from './tokenizer-spec.ts';
import { readStaged, stage, userModelDir, type FileMap, type Staged } from './user-cache.ts';

export const OPTIMUM_FILES = { encoder: 'encoder_model.onnx', decoder: 'decoder_model.onnx', decoderWithPast: 'decoder_with_past_model.onnx' };

export async function resolveOptimumFolder(folder: string, precision: Precision, cacheDir: string): Promise<Staged> {
  const missing = Object.values(OPTIMUM_FILES).filter((f) => !existsSync(join(folder, f)));
  if (missing.length > 0) {
    const hint = 'export it with: optimum-cli export onnx --model <id> --task text2text-generation-with-past <folder>';
    return { ok: false, error: modelError('model-mismatch', `Optimum export folder ${folder} is missing ${missing.join(', ')} (${hint})`) };
  }
  const tokenizer = marianTokenizer(folder);
  const files: FileMap = { ...Object.fromEntries(Object.values(OPTIMUM_FILES).map((f) => [join(folder, f), f])), ...tokenizer?.files };
  const dir = userModelDir(cacheDir, folder, { ...files, ...tokenizerKeyFiles(folder) }, precision);
  const staged = readStaged(dir);
  if (staged) return { ok: true, dir, manifest: staged };
  const inspected = await inspectOnnx(join(folder, OPTIMUM_FILES.decoderWithPast));
  if (!inspected.ok) return inspected;
  const vocabulary = readVocabulary(folder);
  const sizes = translatorSizes(readHfConfig(folder), inspected.value, vocabulary);
  if (typeof sizes === 'string') return { ok: false, error: modelError('model-mismatch', `cannot read the ${sizes} of the translator in ${folder}: add its config.json`) };
  const manifest: TranslatorManifest = {
    kind: 'translator',
    name: `user:${folder}`,
    precision,
    synthetic: false,
    files: OPTIMUM_FILES,
    ...sizes,
    targetLengthRatio: TARGET_LENGTH_RATIO,
    ...(tokenizer && { tokenizer: tokenizer.spec }),
  };
  return stage(dir, files, manifest);
}

type Sizes = Pick<TranslatorManifest, 'layers' | 'heads' | 'dModel' | 'vocabSize' | 'padId' | 'eosId' | 'maxSourceTokens'>;

/** The translator's sizes, or the name of the first one neither config.json nor the graph gives. */
export function translatorSizes(config: HfConfig, withPast: GraphSignature, vocabulary: Record<string, number> | undefined): Sizes | string {
  const pastKeys = withPast.inputs.filter((i) => /^past_key_values\.\d+\.decoder\.key$/.test(i.name));
  const keyShape = pastKeys[0]?.shape ?? [];
  const logitsShape = withPast.outputs.find((o) => o.name === 'logits')?.shape ?? [];
  const numeric = (v: number | string | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
  const layers = configNumber(config, 'decoder_layers', 'num_decoder_layers', 'num_layers') ?? (pastKeys.length || undefined);
  const heads = configNumber(config, 'decoder_attention_heads', 'num_heads') ?? numeric(keyShape[1]);
  const headDim = numeric(keyShape[3]);
  const dModel = configNumber(config, 'd_model', 'hidden_size') ?? (heads && headDim ? heads * headDim : undefined);
  const vocabSize = configNumber(config, 'vocab_size') ?? numeric(logitsShape[2]) ?? (vocabulary ? Object.keys(vocabulary).length : undefined);
  if (layers === undefined) return 'decoder layer count';
  if (heads === undefined) return 'attention head count';
  if (dModel === undefined) return 'model width (d_model)';
  if (vocabSize === undefined) return 'vocabulary size';
  return {
    layers,
    heads,
    dModel,
    vocabSize,
    padId: configNumber(config, 'decoder_start_token_id', 'pad_token_id') ?? vocabSize - 1,
    eosId: configNumber(config, 'eos_token_id') ?? 0,
    maxSourceTokens: configNumber(config, 'max_position_embeddings') ?? 512,
  };
}
