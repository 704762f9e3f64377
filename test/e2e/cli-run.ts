/** Runs bin/tune.mjs as a child process for end-to-end tests, collecting its output and exit code. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TUNE_BIN = fileURLToPath(new URL('../../bin/tune.mjs', import.meta.url));

export interface TuneRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startTune(args: readonly string[], cwd: string): { child: ChildProcess; done: Promise<TuneRun> } {
  const child = spawn(process.execPath, [TUNE_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<TuneRun>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export function runTune(args: readonly string[], cwd: string): Promise<TuneRun> {
  return startTune(args, cwd).done;
}
