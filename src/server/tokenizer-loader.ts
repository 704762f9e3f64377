/**
 * Adapts the models area's tokenizers to the server: text → framed token ids ([CLS] … [SEP] or … </s>).
 * frameIds truncates to the model's limit; the server refuses over-long text instead (text_too_long),
 * so framing is asked for without a limit and the length is checked by the runner.
 */
import type { ModelManifest } from '../models/manifest.ts';
import { frameIds, loadTokenizer as tokenizerInfo, tokenize } from '../models/tokenizer.ts';
import type { TokenizerLoader } from './model-loader.ts';

export const loadTokenizer: TokenizerLoader = (modelDir: string, manifest: ModelManifest) => {
  if (manifest.kind === 'classifier-image') return undefined;
  const info = tokenizerInfo(modelDir, manifest);
  const unlimited = manifest.kind === 'translator' ? { ...manifest, maxSourceTokens: Infinity } : { ...manifest, maxSequence: Infinity };
  return (text) => frameIds(tokenize(text, info), unlimited);
};
