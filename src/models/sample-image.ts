/**
 * Deterministic synthetic images for probing and calibrating image classifiers: a smooth random scene
 * (per-channel base level, horizontal and vertical gradients, a stripe frequency) plus pixel noise,
 * in [0, 1], NHWC. Unlike i.i.d. noise, samples differ in their global statistics, so a classifier
 * does not see every sample alike.
 */
import { mulberry32 } from './weights.ts';

export function sampleImage([height, width, channels]: [number, number, number], index: number): Float32Array {
  const next = mulberry32(1000 + index);
  const coeffs = Array.from({ length: channels }, () => ({ base: next(), dx: next() - 0.5, dy: next() - 0.5, freq: 1 + next() * 8 }));
  const pixels = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      coeffs.forEach((c, ch) => {
        const stripe = 0.2 * Math.sin(((c.freq * x) / width) * Math.PI);
        const value = c.base + c.dx * (x / width) + c.dy * (y / height) + stripe + 0.1 * (next() - 0.5);
        pixels[(y * width + x) * channels + ch] = Math.min(1, Math.max(0, value));
      });
    }
  }
  return pixels;
}
