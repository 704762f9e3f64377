import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DelayMode } from './target-server.ts';

export interface TargetProcess {
  url: string;
  stop: () => Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./target-server.ts', import.meta.url));

/** Starts the bench target in a child process and waits for its port. */
export function startTarget(mode: DelayMode): Promise<TargetProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench target exited early with code ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const port = /PORT (\d+)/.exec(chunk.toString())?.[1];
      if (port === undefined) return;
      child.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
