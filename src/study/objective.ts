/**
 * Turns a measured trial into what the optimizer minimizes, and judges whether the measurement counts:
 * a configuration that answers few requests, or misses the latency SLO, is failed but keeps its metrics.
 */
import type { TrialMetrics } from '../domain/records.ts';
import type { Objective } from '../domain/vocabulary.ts';
import { metricValue } from '../domain/trials.ts';

export type Judgement =
  | { state: 'complete'; objectiveValue: number }
  | { state: 'failed'; failureKind: 'no_responses' | 'request_errors' | 'slo_violated'; failureMessage: string };

export interface JudgeOptions {
  objective: Objective;
  sloP99Ms?: number;
  /** Above this share of failed requests the latencies describe too few requests to trust. */
  maxErrorRate: number;
}

export const DEFAULT_MAX_ERROR_RATE = 0.01;

export function judgeMetrics(metrics: TrialMetrics, options: JudgeOptions): Judgement {
  if (metrics.requests === 0) {
    return failed('no_responses', 'no request succeeded in the measurement window');
  }
  const errorRate = metrics.errors / (metrics.requests + metrics.errors);
  if (errorRate > options.maxErrorRate) {
    const percent = (errorRate * 100).toFixed(1);
    return failed('request_errors', `${percent}% of requests failed (${describeErrors(metrics.errorsByKind)})`);
  }
  if (options.sloP99Ms !== undefined && metrics.p99Ms > options.sloP99Ms) {
    const message = `p99 ${metrics.p99Ms.toFixed(1)} ms misses the SLO of ${options.sloP99Ms} ms`;
    return failed('slo_violated', message);
  }
  return { state: 'complete', objectiveValue: metricValue(metrics, options.objective) };
}

type FailureKind = Extract<Judgement, { state: 'failed' }>['failureKind'];

function failed(failureKind: FailureKind, failureMessage: string): Judgement {
  return { state: 'failed', failureKind, failureMessage };
}

function describeErrors(byKind: Record<string, number>): string {
  const parts = Object.entries(byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`);
  return parts.length > 0 ? parts.join(', ') : 'no detail';
}
