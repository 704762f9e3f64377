/**
 * text-recognition (ocr, PaddleOCR's PP-OCRv4 recognizer): a batch of text lines in one ONNX Runtime call,
 * then CTC greedy decoding per line → {text, confidence}.
 *
 * Lines differ in width, the recognizer takes one [N, 3, 48, W] tensor: every line of a batch is right-padded
 * to the batch's width with 0 in normalized space (mid-grey), as PaddleOCR's resize_norm_img pads into
 * np.zeros. The batch's width is its widest line, but at least the manifest's minWidth (320, from PaddleOCR's
 * rec_image_shape 3,48,320, whose batches are never narrower), rounded up to a multiple of 8 so that each of
 * the recognizer's W/8 output frames covers whole input columns. A line's padding costs compute but not
 * accuracy: the model reads the grey as blank frames.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import type { TextRecognitionManifest } from '../../models/manifest.ts';
import type { BatchRunner } from './runner.ts';
import { ctcCharacters, ctcGreedyDecode, labelsToText } from './text-recognition-ctc.ts';
import type { TextLine } from './text-recognition-instance.ts';

export interface Recognition {
  text: string;
  confidence: number;
}

const CHANNELS = 3;
const FRAME_COLUMNS = 8;

/** The batch's padded width: its widest line, at least `minWidth`, rounded up to whole frames. */
export function batchWidth(widths: readonly number[], minWidth: number): number {
  const widest = Math.max(minWidth, ...widths);
  return Math.ceil(widest / FRAME_COLUMNS) * FRAME_COLUMNS;
}

/** The lines as one [N, 3, height, width] tensor's data: each line at the left, 0 (normalized mid-grey) to its right. */
export function padLines(lines: readonly TextLine[], height: number, width: number): Float32Array {
  const data = new Float32Array(lines.length * CHANNELS * height * width);
  lines.forEach((line, n) => {
    if (line.width > width || line.pixels.length !== CHANNELS * height * line.width) {
      throw new RangeError(`line ${n} is ${line.width} wide with ${line.pixels.length} values: it does not fit a ${height}×${width} batch`);
    }
    for (let row = 0; row < CHANNELS * height; row++) {
      data.set(line.pixels.subarray(row * line.width, (row + 1) * line.width), (n * CHANNELS * height + row) * width);
    }
  });
  return data;
}

export class TextRecognitionRunner implements BatchRunner<TextLine> {
  constructor(
    private readonly manifest: TextRecognitionManifest,
    private readonly session: InferenceSession,
    private readonly characters: readonly string[],
  ) {}

  /** Reads the manifest's character dictionary beside the model. */
  static open(modelDir: string, manifest: TextRecognitionManifest, session: InferenceSession): TextRecognitionRunner {
    return new TextRecognitionRunner(manifest, session, ctcCharacters(readFileSync(join(modelDir, manifest.characters), 'utf8')));
  }

  async run(batch: TextLine[]): Promise<Recognition[]> {
    const { height, minWidth, inputName, outputName } = this.manifest;
    const width = batchWidth(batch.map((line) => line.width), minWidth);
    const input = new Tensor('float32', padLines(batch, height, width), [batch.length, CHANNELS, height, width]);
    const output = (await this.session.run({ [inputName]: input }))[outputName];
    if (output === undefined) throw new Error(`the recognizer has no output ${outputName}`);
    const [, frames = 0, classes = 0] = output.dims;
    if (classes !== this.characters.length) {
      throw new Error(`the recognizer scores ${classes} classes but ${this.manifest.characters} gives ${this.characters.length} (blank + characters + space)`);
    }
    const probabilities = output.data as Float32Array;
    return batch.map((_, n) => {
      const decoded = ctcGreedyDecode(probabilities, frames, classes, n * frames * classes);
      return { text: labelsToText(decoded.labels, this.characters), confidence: decoded.confidence };
    });
  }

  close(): Promise<void> {
    return this.session.release();
  }
}
