/** Small formatters shared by the CLI's tables and progress lines. */
import type { Objective } from '../storage/storage.ts';
import type { Params } from '../space/params.ts';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Three significant digits at most, without a trailing ".0". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

export function formatObjective(value: number | undefined, objective: Objective): string {
  if (value === undefined) return '-';
  return objective === 'cost' ? `$${formatNumber(value)}/M req` : `${formatNumber(value)} ms`;
}

export function objectiveLabel(objective: Objective): string {
  return { mean: 'mean latency', p99: 'p99 latency', cost: 'cost per million requests' }[objective];
}

export function formatParams(params: Params): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
