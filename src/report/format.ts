/** How numbers, configurations and durations are written, in the terminal and in the report alike. */
import type { ConfirmationVerdict } from '../domain/confirmation.ts';
import type { DeployMode, TrialRecord } from '../domain/records.ts';
import { OBJECTIVE_UNIT, type Objective } from '../domain/vocabulary.ts';
import type { Params } from '../space/params.ts';
import { trialDeploy } from '../domain/time-spent.ts';

/**
 * Whole numbers from 100 up (a latency of 8123 ms stays 8123), one decimal from 10, two from 1, three
 * significant digits below, an exponent for the tiny; no trailing zeros; '–' for a missing value.
 */
export function formatValue(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude >= 1e9 || magnitude < 0.001) return value.toExponential(2);
  const text = magnitude >= 100 ? value.toFixed(0) : magnitude >= 10 ? value.toFixed(1) : magnitude >= 1 ? value.toFixed(2) : value.toPrecision(3);
  return String(Number(text));
}

export function formatSpeedup(speedup: number | undefined): string {
  return speedup === undefined || !Number.isFinite(speedup) ? '–' : `${speedup.toFixed(2)}×`;
}

/** A value on a study's objective, with its unit. */
export function formatObjective(value: number | undefined, objective: Objective): string {
  if (value === undefined) return '–';
  if (objective === 'cost') return `$${formatValue(value)}/M req`;
  return `${formatValue(value)} ${OBJECTIVE_UNIT[objective]}`;
}

/** A configuration on one line, `name=value` pairs in the configuration's own order. */
export function formatParams(params: Params | undefined): string {
  return params === undefined ? '–' : Object.entries(params).map(([name, value]) => `${name}=${value}`).join(' ');
}

/** A count with its noun, plural unless one: `1 trial`, `9 trials`. */
export function formatCount(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** How a trial's replicas came up: `reconfigured in 0.9 s`; undefined when they never did. */
export function formatDeploy(trial: Pick<TrialRecord, 'deployMode' | 'deploySeconds'>): string | undefined {
  const deploy = trialDeploy(trial);
  if (deploy === undefined) return undefined;
  return deploy.seconds === undefined ? deploy.mode : `${deploy.mode} in ${formatValue(deploy.seconds)} s`;
}

/** `stopped early at 3.5 s` (the window it measured) for a trial cut short; undefined for any other. */
export function formatStoppedEarly(trial: Pick<TrialRecord, 'stoppedEarly' | 'metrics'>): string | undefined {
  return trial.stoppedEarly === true && trial.metrics !== undefined ? `stopped early at ${formatValue(trial.metrics.windowS)} s` : undefined;
}

/** Trials per deploy mode, the kept replicas first: `31 reconfigured, 6 reloaded, 13 fresh`; modes with none left out. */
export function formatDeployCounts(counts: Readonly<Record<DeployMode, number>>): string {
  const order: DeployMode[] = ['reconfigured', 'reloaded', 'fresh'];
  return order.filter((mode) => counts[mode] > 0).map((mode) => `${counts[mode]} ${mode}`).join(', ');
}

/**
 * A confirmation verdict on one line: who won, with its interval over the rounds, the probability that it is best
 * and the margin over the runner-up; an undecided one says so, and that the advantage is within the noise.
 */
export function formatVerdict(verdict: ConfirmationVerdict, objective: Objective): string {
  const winner = verdict.standings.find((s) => s.number === verdict.winner);
  const rounds = formatCount(verdict.rounds, 'round');
  const level = winner?.mean === undefined ? '' : `${formatObjective(winner.mean, objective)}${winner.ci95 === undefined ? '' : ` ± ${formatValue(winner.ci95)}`} over ${rounds}`;
  const chance = winner?.probabilityBest === undefined ? '' : `, P(best) ${winner.probabilityBest.toFixed(2)}`;
  const margin = verdict.margin ? `, ${formatPercent(verdict.margin.relative)} ± ${formatPercent(verdict.margin.ci95 / (winner?.mean ?? 1))} ahead of trial ${verdict.runnerUp}` : '';
  switch (verdict.status) {
    case 'confirmed':
      return `confirmed: trial ${verdict.winner} is best (${level}${chance})${margin}`;
    case 'undecided':
      return `undecided after ${rounds}: trial ${verdict.winner} leads (${level}${chance})${margin}: within the noise`;
    case 'unopposed':
      return `unopposed: trial ${verdict.winner}${level ? ` (${level})` : ''}; every other contender failed when deployed again`;
    case 'unmeasured':
      return 'not confirmed: no complete confirmation round';
  }
}

/** A fraction as a percentage with one decimal: 0.0412 → `4.1%`. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
