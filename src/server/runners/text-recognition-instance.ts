/**
 * One text-recognition instance, {"image": [H][W][3] RGB 0–255}, checked and turned into the recognizer's
 * input for one line: resized to the model's height keeping the aspect ratio, bilinearly (OpenCV's
 * INTER_LINEAR sampling, half-pixel centres, as PaddleOCR's cv2.resize does), at most `maxWidth` wide (a
 * longer line is squeezed to it), normalized `(x/255 − 0.5)/0.5` into [−1, 1] and laid out CHW. Pure, so it
 * runs on the HTTP thread and is tested without a model. How lines are padded into one batch: text-recognition-runner.ts.
 */
import { fail, succeed, type Outcome } from '../api-error.ts';
import { typeName } from './image-instance.ts';

/** A line ready for the recognizer: CHW float32 [3][height][width], values in [−1, 1]. */
export interface TextLine {
  width: number;
  pixels: Float32Array;
}

/** An RGB image, HWC, values 0–255. */
export interface RgbImage {
  height: number;
  width: number;
  values: Float32Array;
}

export interface LineGeometry {
  height: number;
  maxWidth: number;
}

/** Larger inputs are refused before any work: a line crop is never this big. */
export const MAX_INPUT_HEIGHT = 512;
export const MAX_INPUT_WIDTH = 8192;
const CHANNELS = 3;

export function parseTextLine(instance: unknown, geometry: LineGeometry): Outcome<TextLine> {
  if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) {
    return fail('wrong_type', `a text-recognition instance must be an object {"image": [H][W][3]}, got ${typeName(instance)}`);
  }
  if (!('image' in instance)) return fail('bad_instances', 'a text-recognition instance needs "image": an [H][W][3] array of RGB values 0–255');
  const image = readRgbImage((instance as { image: unknown }).image);
  return image.ok ? succeed(resizeLine(image.value, geometry)) : image;
}

/** Checks a nested [H][W][3] array of numbers in 0..255 and copies it into a flat HWC array. */
export function readRgbImage(rows: unknown): Outcome<RgbImage> {
  if (!Array.isArray(rows) || rows.length === 0) return fail('wrong_shape', `"image" must be a non-empty [H][W][3] array, got ${describe(rows)}`);
  const first: unknown = rows[0];
  if (!Array.isArray(first) || first.length === 0) return fail('wrong_shape', `"image"[0] must be a non-empty row of [r, g, b] pixels, got ${describe(first)}`);
  const [height, width] = [rows.length, first.length];
  if (height > MAX_INPUT_HEIGHT || width > MAX_INPUT_WIDTH) {
    return fail('wrong_shape', `"image" is ${height}×${width}: a text line may be at most ${MAX_INPUT_HEIGHT} high and ${MAX_INPUT_WIDTH} wide, crop it to the line`);
  }
  const values = new Float32Array(height * width * CHANNELS);
  let offset = 0;
  for (let y = 0; y < height; y++) {
    const row: unknown = rows[y];
    if (!Array.isArray(row) || row.length !== width) return fail('wrong_shape', `"image"[${y}] must be a row of ${width} pixels like row 0, got ${describe(row)}`);
    for (let x = 0; x < width; x++) {
      const pixel: unknown = row[x];
      if (!Array.isArray(pixel) || pixel.length !== CHANNELS) return fail('wrong_shape', `"image"[${y}][${x}] must be [r, g, b], got ${describe(pixel)}`);
      for (let c = 0; c < CHANNELS; c++) {
        const value: unknown = pixel[c];
        if (typeof value !== 'number' || !(value >= 0 && value <= 255)) {
          return fail('wrong_type', `"image"[${y}][${x}][${c}] must be a number from 0 to 255, got ${typeof value === 'number' ? value : typeName(value)}`);
        }
        values[offset++] = value;
      }
    }
  }
  return succeed({ height, width, values });
}

/** The width a line of `height`×`width` gets at the model's height: ceil(height × aspect ratio), at most maxWidth (PaddleOCR's rule). */
export function resizedWidth(height: number, width: number, geometry: LineGeometry): number {
  return Math.max(1, Math.min(geometry.maxWidth, Math.ceil((geometry.height * width) / height)));
}

/** Bilinear resize to the model's height and normalization, HWC 0–255 → CHW [−1, 1]. */
export function resizeLine(image: RgbImage, geometry: LineGeometry): TextLine {
  const height = geometry.height;
  const width = resizedWidth(image.height, image.width, geometry);
  const rows = samples(image.height, height);
  const columns = samples(image.width, width);
  const pixels = new Float32Array(CHANNELS * height * width);
  const stride = image.width * CHANNELS;
  const plane = height * width;
  const { values } = image;
  for (let y = 0; y < height; y++) {
    const { low: y0, high: y1, weight: wy } = rows[y]!;
    for (let x = 0; x < width; x++) {
      const { low: x0, high: x1, weight: wx } = columns[x]!;
      const [a, b, c, d] = [y0 * stride + x0 * CHANNELS, y0 * stride + x1 * CHANNELS, y1 * stride + x0 * CHANNELS, y1 * stride + x1 * CHANNELS];
      for (let k = 0; k < CHANNELS; k++) {
        const top = values[a + k]! + (values[b + k]! - values[a + k]!) * wx;
        const bottom = values[c + k]! + (values[d + k]! - values[c + k]!) * wx;
        pixels[k * plane + y * width + x] = normalize(top + (bottom - top) * wy);
      }
    }
  }
  return { width, pixels };
}

/** PaddleOCR's recognizer normalization: x/255 → [0, 1], then (· − 0.5)/0.5 → [−1, 1]. */
export function normalize(value: number): number {
  return (value / 255 - 0.5) / 0.5;
}

interface Sample {
  low: number;
  high: number;
  weight: number; // of `high`
}

/** For each output index, the two source indices around its centre (half-pixel, clamped at the edges) and the weight of the higher one. */
function samples(sourceSize: number, size: number): Sample[] {
  const scale = sourceSize / size;
  return Array.from({ length: size }, (_, index) => {
    const position = Math.min(sourceSize - 1, Math.max(0, (index + 0.5) * scale - 0.5));
    const low = Math.floor(position);
    return { low, high: Math.min(low + 1, sourceSize - 1), weight: position - low };
  });
}

function describe(value: unknown): string {
  return Array.isArray(value) ? `${value.length} elements` : typeName(value);
}
