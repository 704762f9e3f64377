/**
 * Parses one image instance: a nested [H][W][C] array or a flat array of H*W*C numbers, into a
 * Float32Array in NHWC order. Pure, so it is tested without a model.
 */
import { fail, succeed, type Outcome } from '../api-error.ts';

export function parseImage(instance: unknown, shape: readonly [number, number, number]): Outcome<Float32Array> {
  const [h, w, c] = shape;
  if (!Array.isArray(instance)) return fail('wrong_type', `an image instance must be an array, got ${typeName(instance)}`);
  const out = new Float32Array(h * w * c);
  if (instance.length === h * w * c && !Array.isArray(instance[0])) return fillFlat(instance, out);
  if (instance.length !== h) {
    return fail('wrong_shape', `an image instance must be [${h}][${w}][${c}] or ${h * w * c} numbers, got ${instance.length} elements`);
  }
  return fillNested(instance, shape, out);
}

function fillFlat(values: unknown[], out: Float32Array): Outcome<Float32Array> {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) return notNumber(value, `[${i}]`);
    out[i] = value;
  }
  return succeed(out);
}

function fillNested(rows: unknown[], shape: readonly [number, number, number], out: Float32Array): Outcome<Float32Array> {
  const [, w, c] = shape;
  let offset = 0;
  for (let y = 0; y < rows.length; y++) {
    const row = rows[y];
    if (!Array.isArray(row) || row.length !== w) return wrongShape(`[${y}]`, w, row);
    for (let x = 0; x < w; x++) {
      const pixel: unknown = row[x];
      if (!Array.isArray(pixel) || pixel.length !== c) return wrongShape(`[${y}][${x}]`, c, pixel);
      for (let k = 0; k < c; k++) {
        const value: unknown = pixel[k];
        if (typeof value !== 'number' || !Number.isFinite(value)) return notNumber(value, `[${y}][${x}][${k}]`);
        out[offset++] = value;
      }
    }
  }
  return succeed(out);
}

function wrongShape(where: string, expected: number, got: unknown): Outcome<never> {
  const actual = Array.isArray(got) ? `${got.length} elements` : typeName(got);
  return fail('wrong_shape', `image element ${where} must be an array of ${expected}, got ${actual}`);
}

function notNumber(value: unknown, where: string): Outcome<never> {
  return fail('wrong_type', `image element ${where} must be a finite number, got ${typeName(value)}`);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
