/** Determinism and caching of built-in builds, on the small GAN in a private cache directory. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildModel, ensureModel, readStamp, STAMP_FILE } from '../../../src/models/build.ts';
import { resolveModel } from '../../../src/models/resolve.ts';

const root = mkdtempSync(join(tmpdir(), 'model-build-'));
after(() => rmSync(root, { recursive: true, force: true }));

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('built-in model builds', () => {
  test('the same seed gives byte-identical files; another seed does not', async () => {
    const a = await buildModel({ model: 'gan', precision: 'fp32', seed: 7, cacheDir: join(root, 'a') });
    const b = await buildModel({ model: 'gan', precision: 'fp32', seed: 7, cacheDir: join(root, 'b') });
    const c = await buildModel({ model: 'gan', precision: 'fp32', seed: 8, cacheDir: join(root, 'c') });
    assert.equal(sha256(join(a, 'model.onnx')), sha256(join(b, 'model.onnx')));
    assert.notEqual(sha256(join(a, 'model.onnx')), sha256(join(c, 'model.onnx')));
  });

  test('ensureModel reuses a current build and rebuilds for another seed or a stale stamp', async () => {
    const cacheDir = join(root, 'cached');
    const dir = await ensureModel({ model: 'gan', precision: 'int8', seed: 3, cacheDir });
    const firstWrite = statSync(join(dir, 'model.onnx')).mtimeMs;
    assert.equal(await ensureModel({ model: 'gan', precision: 'int8', seed: 3, cacheDir }), dir);
    assert.equal(statSync(join(dir, 'model.onnx')).mtimeMs, firstWrite);

    await ensureModel({ model: 'gan', precision: 'int8', seed: 4, cacheDir });
    assert.equal(readStamp(dir)?.seed, 4);

    const stamp = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8'));
    writeFileSync(join(dir, STAMP_FILE), JSON.stringify({ ...stamp, builderVersion: -1 }));
    await ensureModel({ model: 'gan', precision: 'int8', seed: 4, cacheDir });
    assert.equal(readStamp(dir)?.builderVersion, stamp.builderVersion);

    writeFileSync(join(dir, STAMP_FILE), '{ not json');
    await ensureModel({ model: 'gan', precision: 'int8', seed: 4, cacheDir });
    assert.equal(readStamp(dir)?.seed, 4, 'an unreadable stamp triggers a rebuild');

    rmSync(join(dir, 'model.onnx'));
    await ensureModel({ model: 'gan', precision: 'int8', seed: 4, cacheDir });
    assert.ok(statSync(join(dir, 'model.onnx')).size > 0, 'a missing file triggers a rebuild');
    assert.deepEqual(readdirSync(join(cacheDir, 'models', 'gan')), ['int8'], 'no temporary or old directories left');
  });

  test('concurrent calls in one process share one build', async () => {
    const cacheDir = join(root, 'concurrent');
    const dirs = await Promise.all([1, 2, 3].map(() => ensureModel({ model: 'gan', precision: 'fp32', cacheDir })));
    assert.equal(new Set(dirs).size, 1);
    assert.deepEqual(readdirSync(join(cacheDir, 'models', 'gan')), ['fp32']);
  });

  test('resolveModel turns a built-in name into its built directory and manifest', async () => {
    const result = await resolveModel('gan', { precision: 'fp32', cacheDir: join(root, 'resolve'), seed: 7 });
    assert.ok(result.ok);
    assert.equal(result.manifest.kind, 'classifier-image');
    assert.equal(readStamp(result.dir)?.seed, 7);
  });
});
