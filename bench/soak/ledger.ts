/**
 * The soak run's bookkeeping, pure: which finished trials each snapshot of the database holds, whether a
 * later snapshot lost or changed any of them, and the summary table at the end.
 */
export type Row = Record<string, unknown>;
export type FaultKind = 'replica_kill' | 'sigkill' | 'sigterm' | 'proxy_cut';
export const FAULT_KINDS: readonly FaultKind[] = ['replica_kill', 'sigkill', 'sigterm', 'proxy_cut'];

/** Finished (complete or failed) rows by trial number, serialized so any changed byte shows. */
export function finishedRows(rows: readonly Row[]): Map<number, string> {
  const finished = new Map<number, string>();
  for (const row of rows) if (row.state === 'complete' || row.state === 'failed') finished.set(Number(row.number), JSON.stringify(row));
  return finished;
}

/** Trials finished in `before` that `after` no longer holds unchanged. */
export function lostOrChanged(before: ReadonlyMap<number, string>, after: ReadonlyMap<number, string>): number[] {
  return [...before].filter(([number, row]) => after.get(number) !== row).map(([number]) => number);
}

export interface SoakSummary {
  minutes: number;
  trialsByState: Record<string, number>;
  failuresByKind: Record<string, number>;
  faults: Record<FaultKind, number>;
  lostTrials: number[];
  orphanContainers: number;
  teardownsMs: number[];
  unexpectedExits: string[];
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export function formatSummary(s: SoakSummary): string {
  const maxTeardown = s.teardownsMs.length === 0 ? 'n/a' : `${Math.max(...s.teardownsMs).toFixed(0)} ms (${s.teardownsMs.length} graceful stops)`;
  const verdict = s.lostTrials.length === 0 && s.orphanContainers === 0 && s.unexpectedExits.length === 0 ? 'PASS' : 'FAIL';
  return [
    `soak summary after ${s.minutes.toFixed(1)} min: ${verdict}`,
    `  trials by state:        ${JSON.stringify(s.trialsByState)}`,
    `  failed trials by kind:  ${JSON.stringify(s.failuresByKind)}`,
    `  faults injected:        ${JSON.stringify(s.faults)}`,
    `  finished trials lost:   ${s.lostTrials.length}${s.lostTrials.length ? ` (${s.lostTrials.join(', ')})` : ''} (must be 0)`,
    `  orphan containers:      ${s.orphanContainers} (must be 0)`,
    `  max teardown (SIGTERM): ${maxTeardown}`,
    `  unexpected exits:       ${s.unexpectedExits.length ? s.unexpectedExits.join(' | ') : 'none'}`,
  ].join('\n');
}
