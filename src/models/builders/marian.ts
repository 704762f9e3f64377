/** MarianMT opus-mt-zh-en, written as Hugging Face Optimum's three seq2seq files. */
import type { ModelBuilder } from '../builder.ts';
import type { Precision, TranslatorManifest } from '../manifest.ts';
import { MARIAN } from './marian-common.ts';
import { decoderGraph } from './marian-decoder.ts';
import { encoderGraph } from './marian-encoder.ts';

const FILES = { encoder: 'encoder_model.onnx', decoder: 'decoder_model.onnx', decoderWithPast: 'decoder_with_past_model.onnx' };

/**
 * English tokens per Chinese source token, used to stop synthetic decoding (random weights never pick
 * EOS). Our estimate, not a measured figure for this model: with subword vocabularies an English
 * translation usually comes out somewhat longer in tokens than its Chinese source (Chinese pieces
 * often cover whole words of 1–2 characters; English function words and inflections add pieces), and
 * 1.3 sits in the middle of the 1.1–1.5 range such pairs typically show.
 */
export const TARGET_LENGTH_RATIO = 1.3;

function manifest(precision: Precision): TranslatorManifest {
  return {
    kind: 'translator',
    name: 'marian',
    precision,
    synthetic: true,
    files: FILES,
    layers: MARIAN.decoderLayers,
    heads: MARIAN.heads,
    dModel: MARIAN.dModel,
    vocabSize: MARIAN.vocab,
    padId: MARIAN.padId,
    eosId: MARIAN.eosId,
    maxSourceTokens: MARIAN.maxPositions,
    targetLengthRatio: TARGET_LENGTH_RATIO,
  };
}

export const marianBuilder: ModelBuilder = {
  name: 'marian',
  version: 2,
  files: (context) => [
    { fileName: FILES.encoder, graph: () => encoderGraph(context) },
    { fileName: FILES.decoder, graph: () => decoderGraph(context, false) },
    { fileName: FILES.decoderWithPast, graph: () => decoderGraph(context, true) },
  ],
  manifest,
};
