/**
 * One trial's life: deploy (or reconfigure what the lane's previous trial left running) → measure (warm-up
 * included) → health check → teardown, always in that order and with teardown guaranteed unless the trial keeps
 * its healthy deployment for the next one. Every way it can end is a TrialOutcome, never an exception: the loop
 * records it.
 */
import type { Deployment, DeploymentBackend, DeploymentSpec, ResourceUsage } from '../deploy/backend.ts';
import { moveBetween } from '../deploy/reconfiguration.ts';
import type { LoadResult } from '../load/types.ts';
import type { DeployMode, TrialMetrics, TrialOutcome } from '../domain/records.ts';
import { judgeMetrics, type JudgeOptions } from './objective.ts';

export interface Measurement {
  load: LoadResult;
  usage: ResourceUsage;
  /** Joules measured by RAPL over the window, on hosts that expose it. */
  raplJoules?: number;
}

export interface TrialDeps {
  backend: DeploymentBackend;
  /**
   * Warms the deployment up, then measures it under load; rejects only when aborted or broken. `fullWindow`: never
   * stop the window early (a confirmation round compares whole windows).
   */
  measure: (deployment: Deployment, signal: AbortSignal, fullWindow?: boolean) => Promise<Measurement>;
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

/** How a trial ended, and the deployment it leaves running for the next trial in its lane, if it keeps one. */
export interface TrialRun {
  outcome: TrialOutcome;
  kept?: Deployment;
}

export interface TrialPlacement {
  /** The deployment the lane's previous trial left running: reconfigured into this trial's spec where it can be. */
  running?: Deployment;
  /** Leave the deployment running after a healthy measurement instead of tearing it down. */
  keep: boolean;
  /** Measure the whole window, never stopping it early. */
  fullWindow?: boolean;
}

export async function runTrial(deps: TrialDeps, spec: DeploymentSpec, judge: JudgeOptions, signal: AbortSignal, placement: TrialPlacement = { keep: false }): Promise<TrialRun> {
  const startedAt = deps.clock();
  const placed = await place(deps, spec, placement.running, signal);
  if (!placed.ok) return { outcome: placed.outcome };
  const { deployment, mode } = placed;
  const deployed = {
    deploySeconds: (deps.clock() - startedAt) / 1000,
    readyAt: new Date(deployment.readyAt).toISOString(),
    deployMode: mode,
    ...(nodesOf(deployment) && { nodes: nodesOf(deployment) }),
  };
  let keep = false;
  try {
    const measured = await measureDeployment(deps, deployment, judge, signal, placement.fullWindow === true);
    keep = placement.keep && measured.healthy && !signal.aborted;
    return { outcome: { ...measured.outcome, ...deployed }, ...(keep && { kept: deployment }) };
  } finally {
    if (!keep) await teardown(deps, deployment);
  }
}

type Placed = { ok: true; deployment: Deployment; mode: DeployMode } | { ok: false; outcome: TrialOutcome };

/** The running deployment changed in place when the backend can, else torn down and the spec deployed fresh. */
async function place(deps: TrialDeps, spec: DeploymentSpec, running: Deployment | undefined, signal: AbortSignal): Promise<Placed> {
  if (running !== undefined) {
    const changed = deps.backend.reconfigure
      ? await deps.backend.reconfigure(running, spec, signal).catch((error: unknown) => ({ ok: false as const, reason: oneLine(error) }))
      : undefined;
    if (changed?.ok) return { ok: true, deployment: changed.deployment, mode: changed.mode };
    // A move that needs new replicas by its nature is the usual case; one that should have worked in place is news.
    if (changed !== undefined && moveBetween(running.spec, spec).mode !== 'fresh') {
      deps.warn(`trial ${spec.trialNumber}: the running replicas could not be changed in place (${changed.reason}); deploying fresh`);
    }
    await teardown(deps, running);
  }
  if (signal.aborted) return { ok: false, outcome: INTERRUPTED };
  let deployed;
  try {
    deployed = await deps.backend.deploy(spec, signal);
  } catch (error) {
    return { ok: false, outcome: signal.aborted ? INTERRUPTED : internalFailure('deploy', error) };
  }
  if (deployed.ok) return { ok: true, deployment: deployed.deployment, mode: 'fresh' };
  if (signal.aborted) return { ok: false, outcome: INTERRUPTED };
  return { ok: false, outcome: { state: 'failed', failureKind: deployed.failure.kind, failureMessage: deployed.failure.message } };
}

/** The outcome, and whether every replica is still alive (so the deployment may serve the next trial). */
async function measureDeployment(deps: TrialDeps, deployment: Deployment, judge: JudgeOptions, signal: AbortSignal, fullWindow: boolean): Promise<{ outcome: TrialOutcome; healthy: boolean }> {
  if (signal.aborted) return { outcome: INTERRUPTED, healthy: false };
  let measurement: Measurement;
  try {
    measurement = await deps.measure(deployment, signal, fullWindow);
  } catch (error) {
    if (signal.aborted) return { outcome: INTERRUPTED, healthy: false };
    // A replica dying can break the load run itself; say what killed it rather than how the client saw it.
    return { outcome: (await unhealthy(deps, deployment)) ?? internalFailure('measure', error), healthy: false };
  }
  if (signal.aborted) return { outcome: INTERRUPTED, healthy: false };
  const metrics = deps.metrics(measurement, deployment);
  const histogram = measurement.load.histogram;
  const death = await unhealthy(deps, deployment);
  if (death) return { outcome: { ...death, metrics, histogram }, healthy: false };
  const judgement = judgeMetrics(metrics, judge);
  const stoppedEarly = measurement.load.stoppedEarly === true ? { stoppedEarly: true } : {};
  return { outcome: { ...judgement, metrics, histogram, ...stoppedEarly }, healthy: true };
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
