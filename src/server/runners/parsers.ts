/** Each model kind's instance parser and warm-up instance: manifest-only, so they live on the HTTP thread. */
import type { ClassifierImageManifest, ClassifierTextManifest, ModelManifest, TensorManifest, TextRecognitionManifest, TranslatorManifest } from '../../models/manifest.ts';
import { parseImage } from './image-instance.ts';
import type { InstanceParser } from './runner.ts';
import { parseTensorInstance, zeroTensorItem, type TensorItem } from './tensor-instance.ts';
import { parseTextLine, type TextLine } from './text-recognition-instance.ts';
import { parseTokens, type Tokenize } from './token-instance.ts';

export function instanceParser(manifest: ModelManifest, tokenize: Tokenize | undefined): InstanceParser<unknown> {
  switch (manifest.kind) {
    case 'classifier-image':
      return imageParser(manifest);
    case 'classifier-text':
      return textParser(manifest, tokenize);
    case 'translator':
      return translatorParser(manifest, tokenize);
    case 'tensor':
      return tensorParser(manifest);
    case 'text-recognition':
      return textLineParser(manifest);
  }
}

/** RGB line images resized to the model's height; warm-up with a blank (white) line of the widest kind. */
function textLineParser(manifest: TextRecognitionManifest): InstanceParser<TextLine> {
  return {
    parse: (instance) => parseTextLine(instance, manifest),
    warmUpInstance: () => ({ width: manifest.maxWidth, pixels: new Float32Array(3 * manifest.height * manifest.maxWidth).fill(1) }),
  };
}

/** Every input by name, as nested arrays; warm-up with zeros of the fixed (or first recorded) shapes. */
function tensorParser(manifest: TensorManifest): InstanceParser<TensorItem> {
  return {
    parse: (instance) => parseTensorInstance(instance, manifest),
    warmUpInstance: () => zeroTensorItem(manifest),
  };
}

/** NHWC float32 images; warm-up with a flat grey one. */
function imageParser(manifest: ClassifierImageManifest): InstanceParser<Float32Array> {
  const [h, w, c] = manifest.instanceShape;
  return {
    parse: (instance) => parseImage(instance, manifest.instanceShape),
    warmUpInstance: () => new Float32Array(h * w * c).fill(0.5),
  };
}

/** Text or token ids up to the model's sequence limit; warm-up with a typical tweet length (32 tokens). */
function textParser(manifest: ClassifierTextManifest, tokenize: Tokenize | undefined): InstanceParser<number[]> {
  const { maxSequence, vocabSize, clsId, sepId } = manifest;
  return {
    parse: (instance) => parseTokens(instance, { maxTokens: maxSequence, vocabSize, tokenize }),
    warmUpInstance: () => [clsId, ...Array.from({ length: 30 }, (_, i) => (1000 + i * 7919) % vocabSize), sepId],
  };
}

/** Source text or token ids; warm-up with a sentence-length source (24 tokens ending in EOS). */
function translatorParser(manifest: TranslatorManifest, tokenize: Tokenize | undefined): InstanceParser<number[]> {
  const { maxSourceTokens, vocabSize, eosId } = manifest;
  return {
    parse: (instance) => parseTokens(instance, { maxTokens: maxSourceTokens, vocabSize, tokenize }),
    warmUpInstance: () => [...Array.from({ length: 23 }, (_, i) => (100 + i * 7919) % vocabSize), eosId],
  };
}
