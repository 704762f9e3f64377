/**
 * Adapts the models area's tokenizers to the server: text → framed token ids ([CLS] … [SEP] or … </s>).
 * frameIds truncates to the model's limit; the server refuses over-long text instead (text_too_long),
 * so framing is asked for without a limit and the length is checked by the runner.
 */
import type { ModelManifest } from '../models/manifest.ts';
import { frameIds, isTextManifest, loadTokenizer as tokenizerInfo, tokenize } from '../models/tokenizer.ts';
import type { TokenizerLoader } from './model-loader.ts';

export const loadTokenizer: TokenizerLoader = async (modelDir: string, manifest: ModelManifest) => {
  if (!isTextManifest(manifest)) return undefined;
  const info = await tokenizerInfo(modelDir, manifest);
  const unlimited = manifest.kind === 'translator' ? { ...manifest, maxSourceTokens: Infinity } : { ...manifest, maxSequence: Infinity };
  return (text) => frameIds(tokenize(text, info), unlimited);
};
