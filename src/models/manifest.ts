/**
 * Every model directory (built-in or a user's) is described by manifest.json, written by the builders
 * or inferred from a user's files. The server reads only this and the files it names.
 */
export type ModelKind = ModelManifest['kind'];
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
  tokenizer?: TokenizerSpec; // absent: the built-ins' hash tokenizer
}

/**
 * How the server turns a user model's text into ids, with the files (plain names in the model directory)
 * it reads. `sentencepiece`: Marian's source.spm → pieces → ids through vocab.json, target.spm turns output
 * pieces back into text (Google's sentencepiece, as WebAssembly). `wordpiece`: BERT's basic tokenizer +
 * WordPiece over vocab.txt. `vocab`: only a vocab.json and no tokenizer model, greedy longest match.
 */
export type TokenizerSpec =
  | { kind: 'sentencepiece'; source: string; target: string; vocab: string; unkToken: string }
  | { kind: 'wordpiece'; vocab: string; lowercase: boolean; stripAccents: boolean; splitChinese: boolean; unkToken: string }
  | { kind: 'vocab'; vocab: string };

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
  tokenizer?: TokenizerSpec; // absent: the built-ins' hash tokenizer
}

export const TENSOR_DTYPES = ['float32', 'float16', 'int64', 'int32', 'int8', 'uint8', 'bool'] as const;
export type TensorDtype = (typeof TENSOR_DTYPES)[number];

/** One graph input or output as ONE item sees it: the batch (the graph's first dim) left out; null = dynamic. */
export interface TensorSpec {
  name: string;
  dtype: TensorDtype;
  shape: (number | null)[];
}

/**
 * Any other ONNX graph, served as it is: an instance names every input with one item's nested array, a prediction
 * every output with one item's. Dims fixed by --input-shape (or agreed by every recorded sample) are numbers here.
 */
export interface TensorManifest {
  kind: 'tensor';
  name: string;
  precision: Precision;
  synthetic: boolean;
  file: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Item shapes of the warm-up instance for inputs that keep dynamic dims (taken from the first recorded sample). */
  warmUpShapes?: Record<string, number[]>;
  /** The graph's batch dim is fixed at 1: items run one call each. */
  unbatched?: true;
}

/**
 * A CTC text-line recognizer (PaddleOCR's PP-OCRv4 rec): float32 [batch, 3, height, width] in, normalized
 * (x/255 − 0.5)/0.5, and [batch, width/8, classes] probabilities out, class 0 the blank, 1..n the lines of
 * `characters`, n+1 a space. Instances are RGB line images of any size, resized to `height` on the server.
 */
export interface TextRecognitionManifest {
  kind: 'text-recognition';
  name: string;
  precision: Precision;
  synthetic: boolean;
  file: string;
  inputName: string;
  outputName: string;
  /** The character dictionary, one character a line (PaddleOCR's ppocr_keys_v1.txt). */
  characters: string;
  height: number;
  /** Batches are padded to at least this width (PaddleOCR's rec_image_shape 3,48,320). */
  minWidth: number;
  /** A line wider than this at the model's height is squeezed to it. */
  maxWidth: number;
}

export type ModelManifest = TranslatorManifest | ClassifierImageManifest | ClassifierTextManifest | TensorManifest | TextRecognitionManifest;

export const MANIFEST_FILE = 'manifest.json';
