/**
 * The words every layer shares: what a study can minimise and why a trial can fail. The serving knobs'
 * values (execution modes, graph optimization levels, precisions) belong to the server's contract and are
 * defined in src/server/protocol.ts; the strategies are the samplers' names (src/samplers/factory.ts).
 */

/** What a study minimises: mean or p99 round-trip latency, or dollars per million requests. Lower is better. */
export const OBJECTIVES = ['mean', 'p99', 'cost'] as const;
export type Objective = (typeof OBJECTIVES)[number];

export const OBJECTIVE_NAME: Record<Objective, string> = { mean: 'mean latency', p99: 'p99 latency', cost: 'cost per million requests' };
export const OBJECTIVE_UNIT: Record<Objective, string> = { mean: 'ms', p99: 'ms', cost: 'USD/M req' };
/** An axis title: the name with its unit. */
export const OBJECTIVE_LABEL: Record<Objective, string> = {
  mean: 'Mean latency (ms)',
  p99: 'p99 latency (ms)',
  cost: 'Cost (USD per million requests)',
};

/**
 * Failures of the configuration itself: it was deployed and could not serve. They count toward the budget
 * and teach the optimizer where not to go.
 */
export const CONFIGURATION_FAILURES = [
  'oom_killed', // a replica ran out of memory
  'crashed', // a replica exited
  'not_ready', // a replica never became ready
  'invalid_config', // the backend cannot express the configuration
  'no_responses', // no request succeeded in the window
  'request_errors', // too many requests failed for the latencies to mean anything
  'slo_violated', // p99 missed the study's SLO (the metrics are kept)
  'reported', // the caller of the ask/tell Study told it the configuration failed
] as const;

/**
 * Failures that say nothing about the configuration: the trial never got a fair run. They are kept as rows
 * (numbering stays contiguous) but neither count toward the budget nor reach the optimizer.
 */
export const INFRASTRUCTURE_FAILURES = ['interrupted', 'stale', 'engine_unreachable', 'image_missing', 'internal'] as const;

export type ConfigurationFailure = (typeof CONFIGURATION_FAILURES)[number];
export type InfrastructureFailure = (typeof INFRASTRUCTURE_FAILURES)[number];
export type FailureKind = ConfigurationFailure | InfrastructureFailure;
