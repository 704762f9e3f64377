/** The ocr workload: line content, its rendering with DejaVu through resvg, and the bodies the load generator sends. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { workloadFor } from '../../../src/load/workloads/index.ts';
import { isTextLineModel, labelledTextLines, lineFonts, renderTextLine, textLine, textLineContent, textLineJson, TEXT_LINE_POOL, type LineFonts } from '../../../src/load/workloads/text-lines.ts';
import { ocrAssetsDir, ocrManifest, OCR_CHARACTERS_FILE } from '../../../src/models/builders/ocr.ts';
import { uniformSource } from '../../../src/random/rng.ts';
import { parseTextLine } from '../../../src/server/runners/text-recognition-instance.ts';

const dictionary = new Set(readFileSync(join(ocrAssetsDir(), OCR_CHARACTERS_FILE), 'utf8').split('\n'));
const found = lineFonts();
const fonts = (): LineFonts => {
  assert.ok(found.ok, 'DejaVu fonts are installed (scripts/setup.sh installs fonts-dejavu-core)');
  return found.fonts;
};
const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('text line content', () => {
  const random = uniformSource(11);
  const lines = Array.from({ length: 1000 }, () => textLineContent(random));

  test('5–40 characters, each one the recognizer can emit (its dictionary, or a space)', () => {
    for (const line of lines) {
      assert.ok(line.length >= 5 && line.length <= 40, JSON.stringify(line));
      const unknown = [...line].filter((c) => c !== ' ' && !dictionary.has(c));
      assert.deepEqual(unknown, [], JSON.stringify(line));
      assert.equal(line, line.trim(), 'no leading or trailing space');
    }
  });

  test('realistic variety: words in mixed case, numbers, prices, dates, times, addresses', () => {
    const share = (pattern: RegExp) => lines.filter((l) => pattern.test(l)).length / lines.length;
    for (const [what, pattern] of [
      ['lower-case words', /\b[a-z]{3,}\b/],
      ['capitalized words', /\b[A-Z][a-z]+\b/],
      ['upper-case words', /\b[A-Z]{3,}\b/],
      ['prices', /\d+\.\d\d\b/],
      ['dates', /\d{4}-\d\d-\d\d|\d+\/\d+\/\d{4}/],
      ['times', /\b\d{1,2}:\d\d\b/],
      ['e-mail addresses', /@/],
    ] as const) {
      assert.ok(share(pattern) > 0.02, `${what}: ${share(pattern)}`);
    }
    const lengths = new Set(lines.map((l) => l.length));
    assert.ok(lengths.size > 25, `${lengths.size} distinct lengths`);
    assert.ok(new Set(lines).size > 990, 'lines rarely repeat');
  });
});

describe('text line rendering', () => {
  test('the same draws give the same pixels; other draws other pixels', () => {
    const a = textLine(uniformSource(5), fonts());
    const b = textLine(uniformSource(5), fonts());
    const c = textLine(uniformSource(6), fonts());
    assert.equal(a.text, b.text);
    assert.equal(digest(a.rgb), digest(b.rgb));
    assert.notEqual(digest(a.rgb), digest(c.rgb));
  });

  test('40–60 px high, ink darker than paper, cropped after the text', () => {
    const random = uniformSource(3);
    for (let i = 0; i < 20; i++) {
      const line = textLine(random, fonts());
      assert.ok(line.height >= 40 && line.height <= 60, `height ${line.height}`);
      assert.equal(line.rgb.length, line.height * line.width * 3);
      const [paper, ink] = [line.rgb.reduce((a, b) => Math.max(a, b)), line.rgb.reduce((a, b) => Math.min(a, b))];
      assert.ok(paper >= 225 && ink <= 110, `paper ${paper}, ink ${ink}`);
      // Roughly 0.4–0.8 em per character: never the whole over-wide canvas.
      assert.ok(line.width < line.text.length * line.height * 0.6 + 30, `${line.width} px for ${line.text.length} characters`);
    }
    const short = renderTextLine('ab', uniformSource(1), fonts());
    const long = renderTextLine('ab'.repeat(10), uniformSource(1), fonts());
    assert.ok(long.width > 5 * short.width, `${short.width} → ${long.width}`);
  });

  test('without DejaVu the lines are refused, not drawn with whatever font there is', () => {
    const missing = lineFonts(() => false);
    assert.ok(!missing.ok);
    assert.match(missing.message, /fonts-dejavu-core/);
  });
});

describe('the ocr workload', () => {
  test('ocr and text-recognition models get text lines the server parses', () => {
    assert.ok(isTextLineModel('ocr') && isTextLineModel({ kind: 'text-recognition' }) && !isTextLineModel('gan'));
    const made = workloadFor('ocr', { seed: 2, instancesPerRequest: 2 });
    assert.ok(made.ok);
    assert.match(made.workload.describe, /rendered text lines/);
    const body = JSON.parse(made.workload.bodies()) as { instances: unknown[] };
    assert.equal(body.instances.length, 2);
    for (const instance of body.instances) {
      const parsed = parseTextLine(instance, ocrManifest('fp32'));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
      assert.ok(parsed.value.width > 20);
    }
  });

  test("the labelled lines of a seed are the load generator's pool for it, in order", () => {
    const labelled = labelledTextLines(TEXT_LINE_POOL + 2, 4);
    assert.ok(labelled.ok);
    const made = workloadFor('ocr', { seed: 4 });
    assert.ok(made.ok);
    const sent = Array.from({ length: TEXT_LINE_POOL }, () => JSON.parse(made.workload.bodies()) as { instances: unknown[] });
    assert.deepEqual(sent.map((body) => body.instances[0]), labelled.lines.slice(0, TEXT_LINE_POOL).map((line) => line.instance));
    const again = textLine(uniformSource(4), fonts());
    assert.equal(labelled.lines[0]!.text, again.text);
    assert.deepEqual(labelled.lines[0]!.instance, JSON.parse(textLineJson(again)));
  });
});
