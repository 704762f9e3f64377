import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readManifest } from '../../../src/server/model-loader.ts';
import { ganConfig } from '../../../support/gan-app.ts';

describe('readManifest: the model directory is the only place read', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tune-manifest-'));
    cpSync((await ganConfig()).modelDir, dir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const withFile = (file: string) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, file }));
    return readManifest(dir);
  };

  test('a manifest naming a file outside the directory is refused in one line', () => {
    for (const file of ['../model.onnx', 'sub/../../model.onnx', '/etc/passwd']) {
      const read = withFile(file);
      assert.equal(read.ok, false, file);
      assert.equal(!read.ok && read.code, 'manifest_invalid');
      assert.match(!read.ok ? read.message : '', /: model files must be plain names inside /);
    }
    assert.equal(withFile('model.onnx').ok, true);
  });
});
