import { pick } from './draws.ts';

/** An H×W×C image, channel-last, values in 0..1. */
export interface Image {
  height: number;
  width: number;
  channels: number;
  values: Float32Array;
}

type Rgb = [number, number, number];

const CIFAR_SIDE = 32;

/**
 * A CIFAR-10-like 32×32 picture with smooth structure: a two-colour gradient background and a few soft
 * blobs, plus a little sensor noise. Upscaled bilinearly it stands in for the CIFAR images the original
 * ResNet experiment fed to a 224×224 model.
 */
export function cifarLikeImage(random: () => number): Image {
  const image = blankImage(CIFAR_SIDE, CIFAR_SIDE);
  const [from, to] = [randomColor(random), randomColor(random)];
  const angle = random() * 2 * Math.PI;
  const blobs = Array.from({ length: 2 + Math.floor(random() * 3) }, () => ({
    x: random() * CIFAR_SIDE,
    y: random() * CIFAR_SIDE,
    radius: 3 + random() * 8,
    color: randomColor(random),
  }));
  fill(image, (x, y, channel) => {
    const along = 0.5 + ((x - 16) * Math.cos(angle) + (y - 16) * Math.sin(angle)) / 45;
    let value = (from[channel] ?? 0) * (1 - along) + (to[channel] ?? 0) * along;
    for (const blob of blobs) {
      const weight = Math.exp(-((x - blob.x) ** 2 + (y - blob.y) ** 2) / (2 * blob.radius ** 2));
      value = value * (1 - weight) + (blob.color[channel] ?? 0) * weight;
    }
    return value + (random() - 0.5) * 0.04;
  });
  return image;
}

/** 5×7 bitmaps of the digits, one string of five pixels per row. */
const DIGIT_GLYPHS: readonly (readonly string[])[] = [
  ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
];

/**
 * An SVHN-like 32×32 house-number crop: one digit in a contrasting colour on a plain background,
 * with soft edges (bilinear sampling of the glyph), a slight shift and noise.
 */
export function digitLikeImage(random: () => number): Image {
  const image = blankImage(CIFAR_SIDE, CIFAR_SIDE);
  const glyph = pick(DIGIT_GLYPHS, random);
  const background = randomColor(random);
  const ink: Rgb = background.map((channel) => (channel > 0.5 ? channel - 0.5 : channel + 0.5)) as Rgb;
  const [left, top] = [9 + random() * 4, 4 + random() * 4];
  const [cellWidth, cellHeight] = [2.6 + random() * 0.6, 3.1 + random() * 0.5];
  fill(image, (x, y, channel) => {
    const coverage = glyphCoverage(glyph, (x - left) / cellWidth, (y - top) / cellHeight);
    const value = (background[channel] ?? 0) * (1 - coverage) + (ink[channel] ?? 0) * coverage;
    return value + (random() - 0.5) * 0.06;
  });
  return image;
}

/** Bilinear upscaling, as an image pipeline resizes CIFAR's 32×32 to a 224×224 model input. */
export function resize(image: Image, height: number, width: number): Image {
  const out = blankImage(height, width, image.channels);
  const rows = samplePoints(image.height, height);
  const columns = samplePoints(image.width, width);
  const { channels, values } = image;
  const stride = image.width * channels;
  let target = 0;
  for (const row of rows) {
    for (const column of columns) {
      const [topLeft, topRight] = [row.low * stride + column.low * channels, row.low * stride + column.high * channels];
      const [bottomLeft, bottomRight] = [row.high * stride + column.low * channels, row.high * stride + column.high * channels];
      for (let channel = 0; channel < channels; channel += 1) {
        const top = (values[topLeft + channel] ?? 0) * (1 - column.weight) + (values[topRight + channel] ?? 0) * column.weight;
        const bottom = (values[bottomLeft + channel] ?? 0) * (1 - column.weight) + (values[bottomRight + channel] ?? 0) * column.weight;
        out.values[target] = top * (1 - row.weight) + bottom * row.weight;
        target += 1;
      }
    }
  }
  return out;
}

/** For each output index, the two source indices around its centre and the weight of the higher one. */
function samplePoints(sourceSize: number, size: number): { low: number; high: number; weight: number }[] {
  const scale = sourceSize / size;
  return Array.from({ length: size }, (_, index) => {
    const position = Math.min(sourceSize - 1, Math.max(0, (index + 0.5) * scale - 0.5));
    const low = Math.floor(position);
    return { low, high: Math.min(low + 1, sourceSize - 1), weight: position - low };
  });
}

/** "0", "0.001", … "1": formatting 150 528 numbers per image is most of its cost, so look them up. */
const THOUSANDTHS: readonly string[] = Array.from({ length: 1001 }, (_, k) => String(k / 1000));

/** The image as nested [H][W][C] JSON, values rounded to 3 decimals (as a client would send them). */
export function imageJson(image: Image): string {
  const rows: string[] = [];
  const { height, width, channels, values } = image;
  for (let y = 0; y < height; y += 1) {
    const parts: string[] = [];
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * channels;
      parts.push(x === 0 ? '[' : ',[');
      for (let channel = 0; channel < channels; channel += 1) {
        if (channel > 0) parts.push(',');
        parts.push(THOUSANDTHS[Math.round((values[offset + channel] ?? 0) * 1000)] ?? '0');
      }
      parts.push(']');
    }
    rows.push(`[${parts.join('')}]`);
  }
  return `[${rows.join(',')}]`;
}

function glyphCoverage(glyph: readonly string[], column: number, row: number): number {
  const lit = (r: number, c: number): number => (glyph[r]?.[c] === '1' ? 1 : 0);
  const [r0, c0] = [Math.floor(row - 0.5), Math.floor(column - 0.5)];
  const [fy, fx] = [row - 0.5 - r0, column - 0.5 - c0];
  const top = lit(r0, c0) * (1 - fx) + lit(r0, c0 + 1) * fx;
  const bottom = lit(r0 + 1, c0) * (1 - fx) + lit(r0 + 1, c0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

function blankImage(height: number, width: number, channels = 3): Image {
  return { height, width, channels, values: new Float32Array(height * width * channels) };
}

function fill(image: Image, valueAt: (x: number, y: number, channel: number) => number): void {
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      for (let channel = 0; channel < image.channels; channel += 1) {
        const value = valueAt(x, y, channel);
        image.values[(y * image.width + x) * image.channels + channel] = Math.min(1, Math.max(0, value));
      }
    }
  }
}

function randomColor(random: () => number): Rgb {
  return [random(), random(), random()];
}
