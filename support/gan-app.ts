/** Server apps over real models without a socket: the gan (built once, cached), or any model directory. */
import { ensureModel } from '../src/models/index.ts';
import { CONFIG_DEFAULTS, type ServerConfig } from '../src/server/config.ts';
import type { ModelManifest } from '../src/models/manifest.ts';
import { readManifest } from '../src/server/model-loader.ts';
import { createModelApp, type ModelApp } from '../src/server/model-server.ts';
import { ROUTES } from '../src/server/protocol.ts';

export const GAN_SHAPE = [32, 32, 3] as const;

export async function ganConfig(overrides: Partial<ServerConfig> = {}): Promise<ServerConfig> {
  const modelDir = await ensureModel({ model: 'gan', precision: 'fp32' });
  return { ...CONFIG_DEFAULTS, modelDir, modelName: 'gan', intraOpThreads: 1, maxBodyBytes: 200_000, ...overrides };
}

export function quietApp(config: ServerConfig): { app: ModelApp; logs: string[] } {
  const logs: string[] = [];
  const app = createModelApp(config, { log: (event, fields) => logs.push(JSON.stringify({ event, ...fields })) });
  return { app, logs };
}

/**
 * A ready app over the model in `dir`, which must be of `kind`, batching up to 4 instances; with its manifest
 * and predict route.
 */
export async function readyModelApp<K extends ModelManifest['kind']>(dir: string, kind: K, intraOpThreads: number) {
  const read = readManifest(dir);
  if (!read.ok || read.manifest.kind !== kind) throw new Error(`${dir} holds no ${kind} model: ${read.ok ? read.manifest.kind : read.message}`);
  const manifest = read.manifest as Extract<ModelManifest, { kind: K }>;
  const { app } = quietApp({ ...CONFIG_DEFAULTS, modelDir: dir, modelName: manifest.name, maxBatchSize: 4, intraOpThreads });
  await app.ready;
  return { app, manifest, predict: ROUTES.predict(manifest.name) };
}

/** A deterministic image in 0..1, flat H*W*C. */
export function flatImage(seed: number): number[] {
  const [h, w, c] = GAN_SHAPE;
  return Array.from({ length: h * w * c }, (_, i) => ((i * 31 + seed * 17) % 101) / 100);
}

export function nested(flat: number[]): number[][][] {
  const [h, w, c] = GAN_SHAPE;
  return Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => flat.slice((y * w + x) * c, (y * w + x + 1) * c)));
}

export function post(path: string, body: string | ReadableStream<Uint8Array> | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }): Request {
  return new Request(`http://replica${path}`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

export function get(path: string): Request {
  return new Request(`http://replica${path}`);
}
