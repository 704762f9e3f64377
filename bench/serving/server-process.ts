/**
 * Starts the real container entry point (src/server/main.ts) as a child process on 127.0.0.1 with a given
 * configuration, so the load generator and the server do not share an event loop or a CPU scheduler slot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SERVER_ENV, ROUTES } from '../../src/server/protocol.ts';
import type { ServerConfig } from '../../src/server/config.ts';

const MAIN = fileURLToPath(new URL('../../src/server/main.ts', import.meta.url));

export interface ServerProcess {
  url: string;
  stop(): Promise<number | null>;
}

export async function startServerProcess(config: Omit<ServerConfig, 'host' | 'port' | 'maxBodyBytes'>, readyTimeoutMs = 120_000): Promise<ServerProcess> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    [SERVER_ENV.modelDir]: config.modelDir,
    [SERVER_ENV.modelName]: config.modelName,
    [SERVER_ENV.host]: '127.0.0.1',
    [SERVER_ENV.port]: '0',
    [SERVER_ENV.maxBatchSize]: String(config.maxBatchSize),
    [SERVER_ENV.batchTimeoutUs]: String(config.batchTimeoutUs),
    [SERVER_ENV.queueBound]: String(config.queueBound),
    [SERVER_ENV.intraOpThreads]: String(config.intraOpThreads),
    [SERVER_ENV.interOpThreads]: String(config.interOpThreads),
    [SERVER_ENV.executionMode]: config.executionMode,
    [SERVER_ENV.graphOptimizationLevel]: config.graphOptimizationLevel,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env, stdio: ['ignore', 'inherit', 'pipe'] });
  const url = await listeningUrl(child);
  await waitReady(url, child, readyTimeoutMs);
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** The server logs {"event":"listening","url":…} once bound; port 0 means we learn the port from it. */
async function listeningUrl(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stderr! });
  for await (const line of lines) {
    const event = parseLine(line);
    if (event?.event === 'listening' && typeof event.url === 'string') {
      lines.on('line', (rest) => parseLine(rest)?.event !== 'model_ready' && process.stderr.write(`[server] ${rest}\n`));
      return event.url;
    }
    process.stderr.write(`[server] ${line}\n`);
  }
  throw new Error('the server exited before listening: see its log above');
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} while loading`);
    const status = await fetch(url + ROUTES.ready).then((response) => response.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the server at ${url} was not ready within ${timeoutMs} ms`);
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
