/** The load generator: closed and open loops over every replica, and the request bodies to send. */
export { runClosedLoop } from './closed-loop.ts';
export { runOpenLoop } from './open-loop.ts';
export { patternSchedule, stepsSchedule, parseSchedule, PATTERN_UTILIZATION, type LoadPattern } from './load-patterns.ts';
export { workloadFor, type Workload, type WorkloadOptions, type WorkloadOutcome } from './workloads/index.ts';
export type * from './types.ts';
