/**
 * A throwaway image registry for tests (Debian's docker-registry, distribution 2.8) on a free loopback port with
 * storage in a temporary folder: what a cluster's nodes pull from. Stopped and removed by `stop`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from '../src/deploy/docker/ports.ts';

export interface TestRegistry {
  address: string; // 127.0.0.1:<port>
  stop: () => Promise<void>;
}

export async function startRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'tune-registry-'));
  const [port] = await freePorts(1);
  const address = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: ${address}\n`);
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    const answer = await fetch(`http://${address}/v2/`).then((r) => r.status, () => 0);
    if (answer === 200) return { address, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`the registry did not answer on ${address} within 10 s`);
}
