/** Builds (once, cached) the real gan model and a server app over it, without a socket. */
import { ensureModel } from '../src/models/index.ts';
import { CONFIG_DEFAULTS, type ServerConfig } from '../src/server/config.ts';
import { createModelApp, type ModelApp } from '../src/server/model-server.ts';

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
