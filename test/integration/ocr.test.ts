/**
 * The ocr built-in with its real PaddleOCR weights: built (copied, and quantized for int8) into the shared cache,
 * read in-process by the server's own runners on 200 rendered lines against their ground truth, and served over
 * real HTTP by the model server.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fidelityInstances, VariantOutputs, type AccuracyCheck } from '../../src/dse/variants/fidelity.ts';
import { renderTextLine, lineFonts, textLineJson } from '../../src/load/workloads/text-lines.ts';
import { readStamp } from '../../src/models/build.ts';
import { ocrAssetsDir, ocrManifest, OCR_CHARACTERS_FILE, OCR_MODEL_FILE } from '../../src/models/builders/ocr.ts';
import { ensureModel } from '../../src/models/index.ts';
import { MANIFEST_FILE, type Precision } from '../../src/models/manifest.ts';
import { validateModel } from '../../src/models/validate.ts';
import { uniformSource } from '../../src/random/rng.ts';
import { CONFIG_DEFAULTS } from '../../src/server/config.ts';
import { startModelServer, type RunningServer } from '../../src/server/model-server.ts';
import { ROUTES, type ErrorBody, type PredictResponse } from '../../src/server/protocol.ts';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const dirs = { fp32: '', int8: '' };

before(async () => {
  for (const precision of ['fp32', 'int8'] as const) dirs[precision] = await ensureModel({ model: 'ocr', precision });
});

describe('the ocr build', () => {
  for (const precision of ['fp32', 'int8'] as const) {
    test(`${precision}: the real recognizer and its dictionary, a text-recognition manifest, checked`, async () => {
      const dir = dirs[precision];
      const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
      assert.deepEqual(manifest, ocrManifest(precision as Precision));
      assert.equal(manifest.synthetic, false);
      assert.equal(sha256(join(dir, OCR_CHARACTERS_FILE)), sha256(join(ocrAssetsDir(), OCR_CHARACTERS_FILE)));
      assert.deepEqual(Object.keys(readStamp(dir)?.fileBytes ?? {}).sort(), [OCR_MODEL_FILE, OCR_CHARACTERS_FILE].sort());
      assert.deepEqual(await validateModel(dir, manifest), { ok: true });
    });
  }

  test('fp32 is the package file as published; int8 is quantized, about a quarter of its size', () => {
    assert.equal(sha256(join(dirs.fp32, OCR_MODEL_FILE)), sha256(join(ocrAssetsDir(), OCR_MODEL_FILE)));
    const [fp32, int8] = [statSync(join(dirs.fp32, OCR_MODEL_FILE)).size, statSync(join(dirs.int8, OCR_MODEL_FILE)).size];
    assert.ok(int8 < 0.35 * fp32, `int8 ${int8} B, fp32 ${fp32} B`);
  });
});

describe('reading rendered lines', () => {
  test('fp32 reads 200 of the workload lines almost perfectly; int8 within a few points of it', async () => {
    const made = fidelityInstances('ocr', 200, 1);
    assert.ok(made.ok && made.references !== undefined);
    const outputs = new VariantOutputs((precision) => dirs[precision as Precision], made.instances, made.references);
    const score = (check: AccuracyCheck | undefined) => {
      assert.ok(check?.ok, check && !check.ok ? check.note : 'no ground truth');
      return check.accuracy;
    };
    const fp32 = score(await outputs.accuracy('fp32', 'all'));
    const int8 = score(await outputs.accuracy('int8', 'all'));
    // Measured: fp32 99.6% (180/200 exact), int8 98.5% (148/200).
    assert.ok(fp32.accuracy >= 0.97, `fp32 character accuracy ${fp32.accuracy}`);
    assert.ok(fp32.exactMatches >= 160, `fp32 read ${fp32.exactMatches}/200 lines exactly`);
    assert.ok(int8.accuracy >= fp32.accuracy - 0.03, `int8 ${int8.accuracy} against fp32 ${fp32.accuracy}`);
  });
});

describe('serving ocr over HTTP', () => {
  let server: RunningServer;
  const predict = ROUTES.predict('ocr');
  const post = (body: unknown) => fetch(server.http.url + predict, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    server = await startModelServer({ ...CONFIG_DEFAULTS, modelDir: dirs.fp32, modelName: 'ocr', port: 0, intraOpThreads: 1, maxBatchSize: 4 }, { log: () => undefined });
    await server.ready;
  });
  after(() => server.stop());

  test('one request of lines of different sizes reads each one, with its confidence', async () => {
    const found = lineFonts();
    assert.ok(found.ok);
    const texts = ['Hello World 2025', 'Total: $1,234.56', 'Invoice #48213 due 03/04/2026'];
    const instances = texts.map((text, i) => JSON.parse(textLineJson(renderTextLine(text, uniformSource(20 + i), found.fonts))));
    const response = await post({ instances });
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as PredictResponse;
    const read = predictions as { text: string; confidence: number }[];
    assert.deepEqual(read.map((p) => p.text.trim()), texts);
    for (const p of read) assert.ok(p.confidence > 0.8 && p.confidence <= 1, `confidence ${p.confidence}`);
  });

  test('a line that is not an [H][W][3] image is refused by name', async () => {
    const response = await post({ instances: [{ image: [[[0, 0, 0]], [[0, 0]]] }] });
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as ErrorBody;
    assert.equal(error.code, 'wrong_shape');
    assert.match(error.message, /"image"\[1\]\[0\] must be \[r, g, b\]/);
  });
});
