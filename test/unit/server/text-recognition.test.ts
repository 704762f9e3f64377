/** The ocr kind's serving logic without a model: line parsing and resizing, batch padding, CTC decoding, the label map. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ocrAssetsDir, ocrManifest, OCR_CHARACTERS_FILE } from '../../../src/models/builders/ocr.ts';
import { instanceParser } from '../../../src/server/runners/parsers.ts';
import { ctcCharacters, ctcGreedyDecode, labelsToText } from '../../../src/server/runners/text-recognition-ctc.ts';
import { normalize, parseTextLine, readRgbImage, resizedWidth, resizeLine, type TextLine } from '../../../src/server/runners/text-recognition-instance.ts';
import { batchWidth, padLines } from '../../../src/server/runners/text-recognition-runner.ts';

/** An [h][w][3] image whose every channel of pixel (y, x) is value(y, x). */
const grey = (h: number, w: number, value: (y: number, x: number) => number): number[][][] =>
  Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => [value(y, x), value(y, x), value(y, x)]));

const close = (actual: ArrayLike<number>, expected: readonly number[], what: string) => {
  assert.equal(actual.length, expected.length, what);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) < 1e-6, `${what}[${i}]: ${actual[i]} vs ${e}`));
};

describe('text line instances', () => {
  const geometry = { height: 4, maxWidth: 100 };

  test('the width keeps the aspect ratio at the model height (ceil), at most maxWidth', () => {
    assert.equal(resizedWidth(2, 5, geometry), 10);
    assert.equal(resizedWidth(48, 100, { height: 48, maxWidth: 1280 }), 100);
    assert.equal(resizedWidth(30, 31, { height: 48, maxWidth: 1280 }), 50); // 49.6 → 50
    assert.equal(resizedWidth(10, 1000, geometry), 100, 'a long line is squeezed to maxWidth');
    assert.equal(resizedWidth(100, 1, geometry), 1, 'never narrower than one column');
  });

  test('bilinear with half-pixel centres, as cv2.resize INTER_LINEAR, then (x/255 − 0.5)/0.5', () => {
    // One row 0, 255 upscaled to 2×4: source columns −0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1.
    const image = readRgbImage(grey(1, 2, (_, x) => 255 * x));
    assert.ok(image.ok);
    const line = resizeLine(image.value, { height: 2, maxWidth: 100 });
    assert.equal(line.width, 4);
    close(line.pixels.subarray(0, 8), [-1, -0.5, 0.5, 1, -1, -0.5, 0.5, 1], 'red plane, both rows');
    close(line.pixels.subarray(16, 20), [-1, -0.5, 0.5, 1], 'blue plane');
    // Downscale 4 rows → 2: output rows sample source rows 0.5 and 2.5, the means of 0,1 and 2,3.
    const tall = readRgbImage(grey(4, 1, (y) => [0, 100, 200, 250][y]!));
    assert.ok(tall.ok);
    close(resizeLine(tall.value, { height: 2, maxWidth: 100 }).pixels.subarray(0, 1), [normalize(50)], 'row 0');
  });

  test('planes are laid out CHW and a flat image stays flat', () => {
    const parsed = parseTextLine({ image: Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => [255, 0, 127.5])) }, geometry);
    assert.ok(parsed.ok);
    const { width, pixels } = parsed.value;
    assert.equal(width, 7); // ceil(4 × 5/3)
    assert.equal(pixels.length, 3 * 4 * 7);
    assert.ok(pixels.subarray(0, 28).every((v) => v === 1));
    assert.ok(pixels.subarray(28, 56).every((v) => v === -1));
    assert.ok(pixels.subarray(56).every((v) => Math.abs(v) < 1e-6));
  });

  test('refusals name the problem', () => {
    const refused = (instance: unknown, code: string, message: RegExp) => {
      const parsed = parseTextLine(instance, geometry);
      assert.ok(!parsed.ok, JSON.stringify(instance).slice(0, 80));
      assert.equal(parsed.error.code, code);
      assert.match(parsed.error.message, message);
    };
    refused([[[0, 0, 0]]], 'wrong_type', /must be an object \{"image"/);
    refused({ text: 'hi' }, 'bad_instances', /needs "image"/);
    refused({ image: [] }, 'wrong_shape', /non-empty/);
    refused({ image: [[[0, 0, 0], [0, 0, 0]], [[0, 0, 0]]] }, 'wrong_shape', /"image"\[1\] must be a row of 2 pixels/);
    refused({ image: [[[0, 0]]] }, 'wrong_shape', /"image"\[0\]\[0\] must be \[r, g, b\]/);
    refused({ image: [[[0, 300, 0]]] }, 'wrong_type', /"image"\[0\]\[0\]\[1\] must be a number from 0 to 255, got 300/);
    refused({ image: [[[0, '1', 0]]] }, 'wrong_type', /got string/);
    refused({ image: [Array.from({ length: 8193 }, () => [0, 0, 0])] }, 'wrong_shape', /at most 512 high and 8192 wide/);
  });

  test("the parser warms up on a blank line of the model's widest", () => {
    const manifest = ocrManifest('fp32');
    const warm = instanceParser(manifest, undefined).warmUpInstance() as TextLine;
    assert.equal(warm.width, manifest.maxWidth);
    assert.equal(warm.pixels.length, 3 * manifest.height * manifest.maxWidth);
    assert.ok(warm.pixels.every((v) => v === 1), 'white');
  });
});

describe('batches of lines', () => {
  test("the batch is as wide as its widest line, at least minWidth, in whole frames of 8 columns", () => {
    assert.equal(batchWidth([100, 200], 320), 320);
    assert.equal(batchWidth([100, 321], 320), 328);
    assert.equal(batchWidth([640], 320), 640);
    assert.equal(batchWidth([5], 3), 8);
  });

  test('each line sits at the left of its rows, right-padded with 0 (normalized mid-grey)', () => {
    // Height 1: a line's CHW data is its three channel rows.
    const a: TextLine = { width: 2, pixels: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    const b: TextLine = { width: 3, pixels: Float32Array.from([7, 8, 9, 10, 11, 12, 13, 14, 15]) };
    assert.deepEqual(Array.from(padLines([a, b], 1, 4)), [1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0, 7, 8, 9, 0, 10, 11, 12, 0, 13, 14, 15, 0]);
    assert.throws(() => padLines([b], 1, 2), /does not fit a 1×2 batch/);
  });
});

describe('CTC greedy decoding', () => {
  // Classes: 0 blank, 1 'a', 2 'b', 3 ' '.
  const characters = ['', 'a', 'b', ' '];
  const frames = (rows: number[][]) => Float32Array.from(rows.flat());

  test('repeats collapse, a blank between two equal labels keeps both, blanks are dropped', () => {
    const probabilities = frames([
      [0.1, 0.8, 0.05, 0.05], // a
      [0.1, 0.6, 0.2, 0.1], // a (repeat)
      [0.9, 0.05, 0.03, 0.02], // blank
      [0.2, 0.7, 0.05, 0.05], // a (kept: after a blank)
      [0.1, 0.1, 0.1, 0.7], // space
      [0.3, 0.1, 0.5, 0.1], // b
    ]);
    const decoded = ctcGreedyDecode(probabilities, 6, 4);
    assert.deepEqual(decoded.labels, [1, 1, 3, 2]);
    assert.equal(labelsToText(decoded.labels, characters), 'aa b');
    // PaddleOCR's confidence: the mean of the kept frames' probabilities (0.8, 0.7, 0.7, 0.5).
    assert.ok(Math.abs(decoded.confidence - 0.675) < 1e-6, String(decoded.confidence));
  });

  test('an all-blank line reads as empty with confidence 0; rows are found by offset', () => {
    const blank = [0.97, 0.01, 0.01, 0.01];
    assert.deepEqual(ctcGreedyDecode(frames([blank, blank]), 2, 4), { labels: [], confidence: 0 });
    const batch = frames([blank, blank, [0, 0, 1, 0], blank]);
    assert.deepEqual(ctcGreedyDecode(batch, 2, 4, 8).labels, [2]);
  });

  test("labels map to PaddleOCR's characters with use_space_char: blank 0, the dictionary's lines 1..n, space n+1", () => {
    assert.deepEqual(ctcCharacters('a\nb\r\nc\n'), ['', 'a', 'b', 'c', ' ']);
    assert.deepEqual(ctcCharacters('a\nb\r\nc'), ['', 'a', 'b', 'c', ' '], 'a last line without a newline is one line');
    const keys = ctcCharacters(readFileSync(join(ocrAssetsDir(), OCR_CHARACTERS_FILE), 'utf8'));
    assert.equal(keys.length, 6625, "the recognizer's 6625 classes");
    assert.equal(keys[0], '');
    assert.equal(keys[1], "'", "the dictionary's first line");
    assert.equal(keys[6624], ' ');
    assert.equal(new Set(keys.slice(1, 6624)).size, 6623, 'every dictionary character once');
    assert.equal(labelsToText([...'Hi 5'].map((c) => keys.indexOf(c)), keys), 'Hi 5');
  });
});
