/**
 * A user's Marian export served from the real server image: the toy Optimum folder with source.spm /
 * target.spm / vocab.json (spm-fixture.ts) is staged, mounted into a tune-server container, and sent text
 * over HTTP. The container's SentencePiece (WebAssembly, bundled into server.js and inference-worker.js)
 * must tokenize and detokenize exactly as in-process and as the reference tools do.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createDockerClient } from '../../src/deploy/docker/client.ts';
import { MODEL_MOUNT, SERVER_USER } from '../../src/deploy/docker/container-config.ts';
import { ensureImage } from '../../src/deploy/image.ts';
import type { TranslatorManifest } from '../../src/models/manifest.ts';
import { resolveModel } from '../../src/models/resolve.ts';
import { openRunner } from '../../src/server/model-loader.ts';
import { ROUTES, SERVER_ENV } from '../../src/server/protocol.ts';
import type { Translation } from '../../src/server/runners/translator-runner.ts';
import { sessionOpener } from '../../src/server/session.ts';
import { loadTokenizer } from '../../src/server/tokenizer-loader.ts';
import { referenceDecode, requireSpm, shortTexts, writeMarianSpmFolder } from '../unit/models/spm-fixture.ts';
import { requireDocker } from './docker-available.ts';

const root = mkdtempSync(join(tmpdir(), 'e2e-marian-spm-'));
after(() => rmSync(root, { recursive: true, force: true }));

const MODEL = 'opus';
const KNOBS = { intraOpThreads: 1, interOpThreads: 0, executionMode: 'sequential', graphOptimizationLevel: 'all' } as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const ready = await fetch(url + ROUTES.ready).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

test('the server image tokenizes and detokenizes a Marian export with its SentencePiece models', { timeout: 15 * 60_000 }, async (t) => {
  if (!(await requireDocker(t))) return;
  requireSpm();
  const { spmModel, vocab } = writeMarianSpmFolder(join(root, 'opus-mt-tiny'), root);
  const resolved = await resolveModel(join(root, 'opus-mt-tiny'), { precision: 'fp32', cacheDir: join(root, 'cache'), modelRoot: root });
  assert.ok(resolved.ok, JSON.stringify(resolved));
  execFileSync('chmod', ['-R', 'a+rX', root]); // the server runs as an unprivileged user
  const manifest = resolved.manifest as TranslatorManifest;

  const docker = createDockerClient();
  const image = await ensureImage(docker);
  assert.ok(image.ok, JSON.stringify(image));
  const port = await freePort();
  const env = { [SERVER_ENV.modelDir]: MODEL_MOUNT, [SERVER_ENV.modelName]: MODEL, [SERVER_ENV.host]: '127.0.0.1', [SERVER_ENV.port]: String(port), [SERVER_ENV.intraOpThreads]: '1' };
  const container = await docker.createContainer({
    Image: image.tag,
    User: SERVER_USER,
    Env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
    Labels: { 'tune.test': 'e2e-marian-tokenizer' },
    HostConfig: { NetworkMode: 'host', Mounts: [{ Type: 'bind', Source: resolved.dir, Target: MODEL_MOUNT, ReadOnly: true }] },
  });
  t.after(() => container.remove({ force: true }));
  await container.start();
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url);

  const texts = shortTexts(41, 8);
  const response = await fetch(url + ROUTES.predict(MODEL), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: texts.map((text) => ({ text })) }) });
  assert.equal(response.status, 200, await response.clone().text());
  const served = ((await response.json()) as { predictions: Translation[] }).predictions;

  const local = await openRunner(resolved.dir, manifest, { openSession: sessionOpener(KNOBS), loadTokenizer });
  t.after(() => local.close());
  const batch = texts.map((text) => {
    const parsed = local.parse({ text });
    assert.ok(parsed.ok);
    return parsed.value;
  });
  const expected = (await local.run(batch)) as Translation[];
  assert.deepEqual(served, expected, 'the container predicts what the same code predicts in-process');
  assert.deepEqual(served.map((p) => p.text), referenceDecode(spmModel, vocab, served.map((p) => p.token_ids)));
  t.diagnostic(`container translations: ${JSON.stringify(served.slice(0, 2))}`);
});
