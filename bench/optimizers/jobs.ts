/**
 * What the optimizer benchmarks share: runs shared among worker processes (the calling script started again with
 * --worker), and the median and number format of their tables.
 */
import { fork } from 'node:child_process';

/** The runs' results in order; with jobs > 1, each worker process takes the next run when it finishes one. */
export async function runAll<Run, Result>(script: string, runs: readonly Run[], jobs: number, runOne: (run: Run) => Result): Promise<Result[]> {
  if (jobs === 1) return runs.map(runOne);
  const results: Result[] = [];
  let next = 0;
  const worker = () =>
    new Promise<void>((resolve, reject) => {
      const child = fork(script, ['--worker'], { serialization: 'advanced' });
      let current = 0;
      const feed = () => (next === runs.length ? child.disconnect() : child.send(runs[(current = next++)] as object));
      child.on('message', (result) => {
        results[current] = result as Result;
        feed();
      });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a worker exited with code ${code}`))));
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(jobs, runs.length) }, worker));
  return results;
}

/** In a worker process: answers every run it is sent with its result. */
export function serveRuns<Run, Result>(runOne: (run: Run) => Result): void {
  process.on('message', (run) => process.send?.(runOne(run as Run)));
}

/** The median, with Infinity (no successful trial yet) sorted last rather than compared as NaN. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  return Math.abs(value) >= 100 || Math.abs(value) < 0.001 ? value.toExponential(1) : value.toPrecision(3);
}
