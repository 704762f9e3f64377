/**
 * Real inputs for the PaddleOCR recognizer and direction classifier: text lines rendered with DejaVu
 * (the ocr workload's generator), resized to height 48 and normalized as the server does, padded into
 * one [N, 3, 48, W] batch. The classifier takes the same lines at a fixed 48×192 (PaddleOCR squeezes
 * or pads a line to that width; here lines are resized to it).
 */
import { batchWidth, padLines } from '../../src/server/runners/text-recognition-runner.ts';
import { resizeLine } from '../../src/server/runners/text-recognition-instance.ts';
import { lineFonts, textLine } from '../../src/load/workloads/text-lines.ts';
import { uniformSource } from '../../src/random/rng.ts';

export const LINE_HEIGHT = 48;
export const CLS_WIDTH = 192;

export interface Batch {
  dims: [number, number, number, number];
  data: Float32Array;
  texts: string[];
}

function lines(count: number, seed: number) {
  const fonts = lineFonts();
  if (!fonts.ok) throw new Error(fonts.message);
  const random = uniformSource(seed);
  return Array.from({ length: count }, () => textLine(random, fonts.fonts)).map((line) => ({
    text: line.text,
    image: { height: line.height, width: line.width, values: Float32Array.from(line.rgb) },
  }));
}

/** `count` rendered lines for the recognizer, at least 320 wide (the ocr server's minimum). */
export function recognizerBatch(count: number, seed: number, maxWidth = 1280): Batch {
  const drawn = lines(count, seed);
  const resized = drawn.map((l) => resizeLine(l.image, { height: LINE_HEIGHT, maxWidth }));
  const width = batchWidth(resized.map((l) => l.width), 320);
  return { dims: [count, 3, LINE_HEIGHT, width], data: padLines(resized, LINE_HEIGHT, width), texts: drawn.map((l) => l.text) };
}

/** `count` lines for the direction classifier at 48×192; every other one turned upside down (rotated 180°). */
export function classifierBatch(count: number, seed: number): Batch {
  const drawn = lines(count, seed);
  const plane = LINE_HEIGHT * CLS_WIDTH;
  const data = new Float32Array(count * 3 * plane);
  drawn.forEach((l, n) => {
    const { pixels } = resizeLine({ ...l.image, width: l.image.width }, { height: LINE_HEIGHT, maxWidth: CLS_WIDTH });
    const width = pixels.length / (3 * LINE_HEIGHT);
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < LINE_HEIGHT; y++) {
        for (let x = 0; x < width; x++) {
          const [ty, tx] = n % 2 === 1 ? [LINE_HEIGHT - 1 - y, width - 1 - x] : [y, x];
          data[n * 3 * plane + c * plane + ty * CLS_WIDTH + tx] = pixels[c * LINE_HEIGHT * width + y * width + x]!;
        }
      }
    }
  });
  return { dims: [count, 3, LINE_HEIGHT, CLS_WIDTH], data, texts: drawn.map((l) => l.text) };
}
