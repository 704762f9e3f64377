/**
 * Every model directory (built-in or a user's) is described by manifest.json, written by the builders
 * or inferred from a user's files. The server reads only this and the files it names.
 */
export type ModelKind = 'translator' | 'classifier-image' | 'classifier-text';
import type { Precision } from '../server/protocol.ts';

export type { Precision };

export interface TranslatorManifest {
  kind: 'translator';
  name: string;
  precision: Precision;
  synthetic: boolean; // true for built-in models: seeded random weights, outputs carry no meaning
  files: { encoder: string; decoder: string; decoderWithPast: string }; // Optimum seq2seq names
  layers: number; // decoder layers (for past_key_values.{i}.*)
  heads: number;
  dModel: number;
  vocabSize: number;
  padId: number; // = decoder start id for Marian
  eosId: number;
  maxSourceTokens: number;
  /** Synthetic weights never emit EOS: stop after ceil(ratio * sourceLength) + 1 tokens. */
  targetLengthRatio: number;
  tokenizer?: string; // file name of vocab.json (token → id) when present
}

export interface ClassifierImageManifest {
  kind: 'classifier-image';
  name: string;
  precision: Precision;
  synthetic: boolean;
  file: string;
  inputName: string;
  outputName: string;
  /** NHWC shape of one instance, e.g. [224, 224, 3]; the graph takes [batch, H, W, C] float32. */
  instanceShape: [number, number, number];
  classes: number;
}

export interface ClassifierTextManifest {
  kind: 'classifier-text';
  name: string;
  precision: Precision;
  synthetic: boolean;
  file: string;
  /** BERT inputs: input_ids, attention_mask, token_type_ids (int64 [batch, seq]). */
  inputNames: string[];
  outputName: string;
  maxSequence: number;
  vocabSize: number;
  classes: number;
  clsId: number;
  sepId: number;
  padId: number;
  tokenizer?: string;
}

export type ModelManifest = TranslatorManifest | ClassifierImageManifest | ClassifierTextManifest;

export const MANIFEST_FILE = 'manifest.json';
