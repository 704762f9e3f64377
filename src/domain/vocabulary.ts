/**
 * The words every layer shares: what a study can minimise and why a trial can fail. The serving knobs'
 * values (execution modes, graph optimization levels, precisions) belong to the server's contract and are
 * defined in src/server/protocol.ts; the strategies are the samplers' names (src/samplers/factory.ts).
 */

/**
 * What a study minimises: mean or p99 round-trip latency, dollars per million requests, or joules per request.
 * Lower is better.
 */
export const OBJECTIVES = ['mean', 'p99', 'cost', 'energy'] as const;
export type Objective = (typeof OBJECTIVES)[number];

export const OBJECTIVE_NAME: Record<Objective, string> = {
  mean: 'mean latency',
  p99: 'p99 latency',
  cost: 'cost per million requests',
  energy: 'energy per request',
};
export const OBJECTIVE_UNIT: Record<Objective, string> = { mean: 'ms', p99: 'ms', cost: 'USD/M req', energy: 'J/req' };
/** An axis title: the name with its unit. */
export const OBJECTIVE_LABEL: Record<Objective, string> = {
  mean: 'Mean latency (ms)',
  p99: 'p99 latency (ms)',
  cost: 'Cost (USD per million requests)',
  energy: 'Energy (J per request)',
};

/**
 * A study minimises one objective, or a list of several at once (a trade-off such as mean,cost): its first
 * objective is the primary one, the value each trial row stores and the single-objective rules read.
 */
export const MAX_OBJECTIVES = 3;

export type ObjectiveListProblem = 'no_objective' | 'unknown_objective' | 'duplicate_objective' | 'too_many_objectives';
export type ObjectiveListResult =
  | { ok: true; objectives: Objective[] }
  | { ok: false; code: ObjectiveListProblem; message: string };

/** "mean" or "mean,cost" (or "p99,cost,energy"): the objectives in order, or why the list cannot be one. */
export function parseObjectives(text: string): ObjectiveListResult {
  const words = text.split(',').map((word) => word.trim());
  const example = 'e.g. mean, or mean,cost for the latency–cost trade-off';
  const problem = (code: ObjectiveListProblem, message: string) => ({ ok: false, code, message }) as const;
  if (words.every((word) => word === '')) return problem('no_objective', `no objective given: name one of ${OBJECTIVES.join(', ')}, ${example}`);
  const unknown = words.find((word) => !(OBJECTIVES as readonly string[]).includes(word));
  if (unknown !== undefined) {
    const what = unknown === '' ? 'an empty objective' : `unknown objective "${unknown}"`;
    return problem('unknown_objective', `${what} in "${text}": choose among ${OBJECTIVES.join(', ')}, ${example}`);
  }
  const duplicate = words.find((word, i) => words.indexOf(word) !== i);
  if (duplicate !== undefined) return problem('duplicate_objective', `"${text}" names ${duplicate} twice: list each objective once, ${example}`);
  if (words.length > MAX_OBJECTIVES) {
    return problem('too_many_objectives', `"${text}" lists ${words.length} objectives: a study minimises one, or up to ${MAX_OBJECTIVES} at once`);
  }
  return { ok: true, objectives: words as Objective[] };
}

/**
 * Failures of the configuration itself: it was deployed and could not serve. They count toward the budget
 * and teach the optimizer where not to go.
 */
export const CONFIGURATION_FAILURES = [
  'oom_killed', // a replica ran out of memory
  'crashed', // a replica exited
  'not_ready', // a replica never became ready
  'invalid_config', // the backend cannot express the configuration
  'unschedulable', // no node of the cluster can hold a replica of it (CPUs or memory)
  'no_responses', // no request succeeded in the window
  'request_errors', // too many requests failed for the latencies to mean anything
  'slo_violated', // p99 missed the study's SLO (the metrics are kept)
  'reported', // the caller of the ask/tell Study told it the configuration failed
] as const;

/**
 * Failures that say nothing about the configuration: the trial never got a fair run. They are kept as rows
 * (numbering stays contiguous) but neither count toward the budget nor reach the optimizer.
 */
export const INFRASTRUCTURE_FAILURES = ['interrupted', 'stale', 'engine_unreachable', 'node_down', 'image_missing', 'internal'] as const;

export type ConfigurationFailure = (typeof CONFIGURATION_FAILURES)[number];
export type InfrastructureFailure = (typeof INFRASTRUCTURE_FAILURES)[number];
export type FailureKind = ConfigurationFailure | InfrastructureFailure;
