/**
 * Container entry point: config from the environment, model loaded and warmed, HTTP on TUNE_HOST:TUNE_PORT,
 * graceful stop on SIGTERM (refuse new work, finish what is queued, exit 0).
 * Exit codes: 2 bad configuration, 1 the model could not be loaded. Bundled by esbuild with
 * onnxruntime-node external, so it reads nothing but the environment and the model directory.
 */
import { networkInterfaces } from 'node:os';
import { parseServerConfig } from './config.ts';
import { jsonLogger } from './log.ts';
import { startModelServer } from './model-server.ts';

async function main(): Promise<void> {
  const log = jsonLogger();
  const ipv4 = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((i) => i.family === 'IPv4').map((i) => i.address));
  const parsed = parseServerConfig(process.env, ipv4);
  if (!parsed.ok) {
    log('config_error', { code: parsed.code, message: parsed.message });
    process.exit(2);
  }
  const config = parsed.config;
  log('starting', { config, pid: process.pid, node: process.version });
  const server = await startModelServer(config, { log });
  log('listening', { url: server.http.url });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('stopping', { signal });
    server.stop().then(
      () => {
        log('stopped', {});
        process.exit(0);
      },
      (error: unknown) => {
        log('stop_error', { message: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    await server.ready;
  } catch (error) {
    log('load_error', { message: (error as Error).message });
    await server.http.close(0);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  jsonLogger()('fatal', { message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
