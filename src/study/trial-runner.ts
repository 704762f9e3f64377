/**
 * One trial's life: deploy → measure (warm-up included) → health check → teardown, always in that order and
 * with teardown guaranteed. Every way it can end is a TrialOutcome, never an exception: the loop records it.
 */
import type { Deployment, DeploymentBackend, DeploymentSpec, ResourceUsage } from '../deploy/backend.ts';
import type { LoadResult } from '../load/types.ts';
import type { TrialMetrics, TrialOutcome } from '../domain/records.ts';
import { judgeMetrics, type JudgeOptions } from './objective.ts';

export interface Measurement {
  load: LoadResult;
  usage: ResourceUsage;
  /** Joules measured by RAPL over the window, on hosts that expose it. */
  raplJoules?: number;
}

export interface TrialDeps {
  backend: DeploymentBackend;
  /** Warms the deployment up, then measures it under load; rejects only when aborted or broken. */
  measure: (deployment: Deployment, signal: AbortSignal) => Promise<Measurement>;
  metrics: (measurement: Measurement, deployment: Deployment) => TrialMetrics;
  clock: () => number;
  /** Problems that do not change the outcome (a teardown that failed and was retried by reaping). */
  warn: (message: string) => void;
}

export const INTERRUPTED: TrialOutcome = {
  state: 'interrupted',
  failureKind: 'interrupted',
  failureMessage: 'stopped by a signal before the measurement finished',
};

export async function runTrial(deps: TrialDeps, spec: DeploymentSpec, judge: JudgeOptions, signal: AbortSignal): Promise<TrialOutcome> {
  const startedAt = deps.clock();
  let deployed;
  try {
    deployed = await deps.backend.deploy(spec, signal);
  } catch (error) {
    return signal.aborted ? INTERRUPTED : internalFailure('deploy', error);
  }
  if (!deployed.ok) {
    if (signal.aborted) return INTERRUPTED;
    return { state: 'failed', failureKind: deployed.failure.kind, failureMessage: deployed.failure.message };
  }
  const deploySeconds = (deps.clock() - startedAt) / 1000;
  const nodes = nodesOf(deployed.deployment);
  try {
    const outcome = await measureDeployment(deps, deployed.deployment, judge, signal);
    return { ...outcome, deploySeconds, readyAt: new Date(deployed.deployment.readyAt).toISOString(), ...(nodes && { nodes }) };
  } finally {
    await teardown(deps, deployed.deployment);
  }
}

async function measureDeployment(deps: TrialDeps, deployment: Deployment, judge: JudgeOptions, signal: AbortSignal): Promise<TrialOutcome> {
  if (signal.aborted) return INTERRUPTED;
  let measurement: Measurement;
  try {
    measurement = await deps.measure(deployment, signal);
  } catch (error) {
    if (signal.aborted) return INTERRUPTED;
    // A replica dying can break the load run itself; say what killed it rather than how the client saw it.
    return (await unhealthy(deps, deployment)) ?? internalFailure('measure', error);
  }
  if (signal.aborted) return INTERRUPTED;
  const metrics = deps.metrics(measurement, deployment);
  const histogram = measurement.load.histogram;
  const death = await unhealthy(deps, deployment);
  if (death) return { ...death, metrics, histogram };
  const judgement = judgeMetrics(metrics, judge);
  return { ...judgement, metrics, histogram };
}

/** The distinct nodes the replicas ran on, in replica order; undefined on a single host. */
function nodesOf(deployment: Deployment): string[] | undefined {
  const nodes = [...new Set(deployment.endpoints.flatMap((e) => (e.node === undefined ? [] : [e.node])))];
  return nodes.length > 0 ? nodes : undefined;
}

/** The failure of a replica that died (OOM, crash) since deploy, if any. */
async function unhealthy(deps: TrialDeps, deployment: Deployment): Promise<TrialOutcome | undefined> {
  try {
    const health = await deps.backend.health(deployment);
    if (health.ok) return undefined;
    return { state: 'failed', failureKind: health.failure.kind, failureMessage: health.failure.message };
  } catch (error) {
    return internalFailure('health check', error);
  }
}

async function teardown(deps: TrialDeps, deployment: Deployment): Promise<void> {
  try {
    await deps.backend.teardown(deployment);
  } catch (error) {
    deps.warn(`teardown of trial ${deployment.spec.trialNumber} failed (${oneLine(error)}); removing its containers by label`);
    try {
      await deps.backend.reap({ studyId: deployment.spec.studyId, trialNumber: deployment.spec.trialNumber });
    } catch (reapError) {
      deps.warn(`containers of trial ${deployment.spec.trialNumber} may be left: ${oneLine(reapError)}; run: tune reap`);
    }
  }
}

export function internalFailure(step: string, error: unknown): TrialOutcome {
  return { state: 'failed', failureKind: 'internal', failureMessage: `${step} failed unexpectedly: ${oneLine(error)}` };
}

export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || 'unknown error';
}
