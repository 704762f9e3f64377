/**
 * The real `tune` binary as a child process, for fault tests: its stderr lines as they come, a wait for a
 * line or a condition, signals, and how long it took to exit after one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/tune.mjs', import.meta.url));

export interface TuneExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() at exit. */
  at: number;
}

export interface TuneProcess {
  child: ChildProcess;
  stderr: string[];
  stdout: string[];
  exited: Promise<TuneExit>;
  /** Sends a signal and returns the moment it was sent (performance.now()). */
  kill(signal: NodeJS.Signals): number;
}

export function startTune(args: readonly string[], env: Record<string, string | undefined> = {}): TuneProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  const stdout: string[] = [];
  collectLines(child.stderr!, stderr);
  collectLines(child.stdout!, stdout);
  const exited = new Promise<TuneExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  return {
    child,
    stderr,
    stdout,
    exited,
    kill: (signal) => {
      const at = performance.now();
      child.kill(signal);
      return at;
    },
  };
}

function collectLines(stream: NodeJS.ReadableStream, into: string[]): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    into.push(...parts);
  });
  stream.on('end', () => partial && into.push(partial));
}

/** Runs tune to completion. */
export async function runTune(args: readonly string[], env: Record<string, string | undefined> = {}, timeoutMs = 240_000): Promise<TuneExit & { stderr: string[]; stdout: string[] }> {
  const tune = startTune(args, env);
  const timer = setTimeout(() => tune.child.kill('SIGKILL'), timeoutMs);
  const exit = await tune.exited;
  clearTimeout(timer);
  return { ...exit, stderr: tune.stderr, stdout: tune.stdout };
}

/** Polls `condition` every 100 ms until it holds; throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, condition: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A short gan study whose every trial starts replicas of its own (fault tests wait for trial N's containers). */
export function tinyStudyArgs(name: string, db: string, budget: number, durationS = 3): string[] {
  return ['--model', 'gan', '--concurrency', '2', '--budget', String(budget), '--strategy', 'random', '--seed', '3', '--duration', String(durationS), '--warmup', '1', '--reconfigure', 'off', '--name', name, '--db', db];
}
