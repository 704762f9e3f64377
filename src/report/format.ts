/** How numbers, configurations and durations are written, in the terminal and in the report alike. */
import type { ConfirmationVerdict } from '../domain/confirmation.ts';
import type { DeployMode, TrialMetrics, TrialRecord } from '../domain/records.ts';
import { OBJECTIVE_LABEL, OBJECTIVE_UNIT, type Objective } from '../domain/vocabulary.ts';
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

/** A value on a study's objective, with its unit; an energy value also says where it came from, when known. */
export function formatObjective(value: number | undefined, objective: Objective, energy?: EnergySources): string {
  if (value === undefined) return '–';
  if (objective === 'cost') return `$${formatValue(value)}/M req`;
  const text = `${formatValue(value)} ${OBJECTIVE_UNIT[objective]}`;
  return objective === 'energy' && energy !== undefined && energy.length > 0 ? `${text} (${energyOrigin(energy)})` : text;
}

/**
 * Where a trial's energy came from: the power model's estimate (src/measure/energy-model.ts) or the host's RAPL
 * counters (src/measure/rapl.ts). Every energy figure shown says which, so an estimate is never read as a reading.
 */
export type EnergySource = TrialMetrics['energySource'];
/** The sources of a set of figures, each once (empty: no energy figure). */
export type EnergySources = readonly EnergySource[];

export const ENERGY_ORIGIN: Record<EnergySource, string> = {
  estimate: 'estimated from CPU time and reserved CPUs and memory',
  rapl: 'measured by RAPL',
};

/** The sentence the report and the summaries add once: what the estimate is, or what RAPL measured. */
export const ENERGY_ORIGIN_NOTE: Record<EnergySource, string> = {
  estimate:
    "energy is estimated, not measured: from each trial's CPU time and its reserved CPUs and memory, with Cloud Carbon Footprint's AWS power coefficients (0.74–3.5 W per vCPU, 0.392 W per GB, PUE 1.135)",
  rapl: "energy is measured by the host's RAPL counters: the whole CPU package, everything else running on the host included",
};

/** Each source of the measured trials' energy once, the estimate first. */
export function energySources(metrics: readonly (Pick<TrialMetrics, 'energySource'> | undefined)[]): EnergySource[] {
  const seen = new Set(metrics.flatMap((m) => (m === undefined ? [] : [m.energySource])));
  return (['estimate', 'rapl'] as const).filter((source) => seen.has(source));
}

/** `estimated from …`, `measured by RAPL`, or both when the figures mix them (each figure then says its own). */
export function energyOrigin(sources: EnergySources): string {
  return sources.map((source) => ENERGY_ORIGIN[source]).join(' or ');
}

/** A narrow column's title, for the terminal (`J/req (estimated)`); energyNotes below the table say what from. */
export function energyColumnTitle(title: string, sources: EnergySources): string {
  return sources.length === 0 ? title : `${title} (${sources.map((source) => (source === 'rapl' ? 'RAPL' : 'estimated')).join(' or ')})`;
}

/** The lines under a table of energy figures: what each of their sources is. */
export function energyNotes(sources: EnergySources): string[] {
  return sources.map((source) => ENERGY_ORIGIN_NOTE[source]);
}

/** A title over energy figures (a column, an axis): `Energy (J per request), estimated from …`. */
export function energyTitle(title: string, sources: EnergySources): string {
  return sources.length === 0 ? title : `${title}, ${energyOrigin(sources)}`;
}

/** An objective's axis or column title; energy's says where its figures came from. */
export function objectiveTitle(objective: Objective, sources: EnergySources, title: string = OBJECTIVE_LABEL[objective]): string {
  return objective === 'energy' ? energyTitle(title, sources) : title;
}

/**
 * One energy figure under a title that already says its source (energyTitle): the bare value, unless the figures
 * mix sources, where each says its own (`0.41 estimated`, `0.38 RAPL`).
 */
export function formatEnergy(value: number | undefined, source: EnergySource | undefined, sources: EnergySources): string {
  const text = formatValue(value);
  if (value === undefined || source === undefined || sources.length < 2) return text;
  return `${text} ${source === 'rapl' ? 'RAPL' : 'estimated'}`;
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
export function formatVerdict(verdict: ConfirmationVerdict, objective: Objective, energy?: EnergySources): string {
  const winner = verdict.standings.find((s) => s.number === verdict.winner);
  const rounds = formatCount(verdict.rounds, 'round');
  const level = winner?.mean === undefined ? '' : `${formatObjective(winner.mean, objective, energy)}${winner.ci95 === undefined ? '' : ` ± ${formatValue(winner.ci95)}`} over ${rounds}`;
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
