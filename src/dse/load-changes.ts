/**
 * Which configuration to run at each load of a sweep, and the loads at which that choice changes. Per level the
 * pick is the optimizer's posterior best where it has one, else the best measured trial. Between consecutive
 * levels whose picks differ, the change lies between the two levels; with a model shared across the levels,
 * predicting both picks at the loads in between places it: the crossover, where the higher level's pick becomes
 * the better one. The table and lines for the terminal and the plot of the picks across load. Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
import { OBJECTIVE_LABEL, type Objective } from '../domain/vocabulary.ts';
import { chartSpec, wholeNumberAxis } from '../report/chart.ts';
import { formatObjective, formatParams, formatValue } from '../report/format.ts';
import type { NamedPlot } from '../report/plots.ts';
import { textTable } from '../report/table.ts';
import type { Params } from '../space/params.ts';
import { modelSlug } from '../study/study-name.ts';

export interface LevelPick {
  concurrency: number;
  studyId: string;
  trial: number;
  params: Params;
  /** The trial's measured value on the sweep's objective. */
  measured: number;
  /** The model's estimate of that value, when the pick is the posterior best. */
  estimate?: number;
}

export interface LoadChange {
  /** The level whose pick is `before`, and the next level, whose pick is `after`. */
  below: number;
  above: number;
  before: Params;
  after: Params;
  /** The parameters whose values differ, in `before`'s order. */
  changed: string[];
  /**
   * The load, strictly between the levels, where the model predicts `after` becomes better than `before`. Absent
   * without a shared model, or when its predictions do not rank the two picks as the levels do.
   */
  crossover?: number;
}

export interface ConfigurationAtLoad {
  params: Params;
  concurrency: number;
}

/** The shared model's estimates (the objective's units) of configurations at loads. */
export type PredictAtLoad = (points: readonly ConfigurationAtLoad[]) => number[];

/** Loads between two levels at which both picks are predicted, evenly spaced on the log scale the context uses. */
const CROSSOVER_STEPS = 32;
/** Loads per plotted line. */
const PLOT_STEPS = 40;

/** A change between every two consecutive levels (ascending) whose picks differ. */
export function loadChanges(picks: readonly LevelPick[], predict?: PredictAtLoad): LoadChange[] {
  const ordered = [...picks].sort((a, b) => a.concurrency - b.concurrency);
  return ordered.slice(1).flatMap((upper, i) => {
    const lower = ordered[i] as LevelPick;
    const changed = differingParameters(lower.params, upper.params);
    if (changed.length === 0) return [];
    const change: LoadChange = { below: lower.concurrency, above: upper.concurrency, before: lower.params, after: upper.params, changed };
    const crossover = predict && crossoverLoad(change, predict);
    return [crossover === undefined ? change : { ...change, crossover }];
  });
}

function differingParameters(a: Params, b: Params): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((name) => a[name] !== b[name]);
}

/**
 * The first load where after − before turns from positive (before better, as at the lower level) to non-positive,
 * interpolated on the log scale; undefined unless the model ranks the picks at the two levels as they were picked.
 */
function crossoverLoad(change: LoadChange, predict: PredictAtLoad): number | undefined {
  const loads = logSpaced(change.below, change.above, CROSSOVER_STEPS);
  const after = predict(loads.map((concurrency) => ({ params: change.after, concurrency })));
  const before = predict(loads.map((concurrency) => ({ params: change.before, concurrency })));
  const gaps = loads.map((_, k) => (after[k] as number) - (before[k] as number));
  if (!((gaps[0] as number) > 0 && (gaps[CROSSOVER_STEPS] as number) < 0)) return undefined;
  const k = gaps.findIndex((gap) => gap <= 0);
  const [g0, g1] = [gaps[k - 1] as number, gaps[k] as number];
  const [c0, c1] = [loads[k - 1] as number, loads[k] as number];
  return c0 * (c1 / c0) ** (g0 / (g0 - g1));
}

function logSpaced(low: number, high: number, steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, k) => low * (high / low) ** (k / steps));
}

/** One row per level: which trial is picked, the model's estimate and the measurement, and the configuration. */
export function levelPickLines(picks: readonly LevelPick[], objective: Objective): string[] {
  const header = ['concurrency', 'pick', 'estimate', 'measured', 'configuration'];
  const rows = picks.map((pick) => [
    String(pick.concurrency),
    `${pick.studyId} #${pick.trial}`,
    pick.estimate === undefined ? '–' : formatObjective(pick.estimate, objective),
    formatObjective(pick.measured, objective),
    formatParams(pick.params),
  ]);
  return textTable(header, rows);
}

/** Where the best configuration changes with load, one line per change; one line saying so when it never does. */
export function loadChangeLines(changes: readonly LoadChange[], picks: readonly LevelPick[]): string[] {
  if (picks.length < 2) return [];
  if (changes.length === 0) return ['the best configuration is the same at every level'];
  return changes.map((change) => {
    const where = change.crossover === undefined ? '' : ` (the model's crossover: about ${formatValue(change.crossover)})`;
    const what = change.changed.map((name) => `${name} ${String(change.before[name])} → ${String(change.after[name])}`).join(', ');
    return `the best configuration changes between concurrency ${change.below} and ${change.above}${where}: ${what}`;
  });
}

/** The shared model's estimate of each level's pick across the sweep's loads: where the lines cross, the pick changes. */
export function picksAcrossLoadPlot(model: string, picks: readonly LevelPick[], predict: PredictAtLoad, objective: Objective): NamedPlot[] {
  if (picks.length < 2) return [];
  const levels = picks.map((p) => p.concurrency);
  const loads = logSpaced(Math.min(...levels), Math.max(...levels), PLOT_STEPS);
  const points = picks.flatMap((pick) => {
    const estimates = predict(loads.map((concurrency) => ({ params: pick.params, concurrency })));
    return loads.map((concurrency, k) => ({ pick: `pick at ${pick.concurrency}`, concurrency, estimate: estimates[k] as number }));
  });
  const title = `Model estimate of each level's best configuration across load: ${model}`;
  return [{ name: `${modelSlug(model)}-sweep-picks`, title, spec: picksSpec(points, levels, title, `${OBJECTIVE_LABEL[objective]}, model estimate`) }];
}

function picksSpec(points: readonly object[], levels: readonly number[], title: string, yTitle: string): TopLevelSpec {
  return chartSpec(title, points, {
    mark: { type: 'line' },
    encoding: {
      x: { field: 'concurrency', type: 'quantitative', title: 'Client concurrency', scale: { type: 'log', base: 2 }, axis: wholeNumberAxis(levels) },
      y: { field: 'estimate', type: 'quantitative', title: yTitle },
      color: { field: 'pick', type: 'nominal', title: 'Configuration', sort: null },
    },
  });
}
