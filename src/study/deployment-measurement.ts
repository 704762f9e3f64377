/**
 * Measuring one deployment: a warm-up run that is thrown away, then the measurement window with resource
 * (and, where the host has it, RAPL energy) counting started only after the warm-up, so neither the
 * latencies nor the CPU seconds of a cold server leak into the trial. With early stopping the window is watched
 * and ends as soon as the trial is confidently worse than the incumbent (early-stop.ts).
 */
import type { Deployment, DeploymentBackend } from '../deploy/backend.ts';
import type { ClosedLoopOptions, LoadOutcome, WindowProgress } from '../load/types.ts';
import { EARLY_STOP_CHECK_EVERY_S, hopeless } from './early-stop.ts';
import type { Measurement } from './trial-runner.ts';

export interface MeasurementSettings {
  path: string; // the predict route
  concurrency: number;
  warmupS: number;
  durationS: number;
  requestTimeoutMs: number;
  bodies: () => string;
  /** The lowest mean latency measured so far, read at each look; given, hopeless windows stop early. */
  earlyStopIncumbentMs?: () => number | undefined;
}

export interface MeasurementDeps {
  backend: Pick<DeploymentBackend, 'startUsage'>;
  runLoad: (options: ClosedLoopOptions) => Promise<LoadOutcome>;
  /** Starts an energy meter and returns its reading function, or undefined without RAPL. */
  startEnergyMeter?: () => (() => number | undefined) | undefined;
}

export type MeasureDeployment = (deployment: Deployment, signal: AbortSignal, fullWindow?: boolean) => Promise<Measurement>;

export function createDeploymentMeasurement(deps: MeasurementDeps, settings: MeasurementSettings): MeasureDeployment {
  return async (deployment, signal, fullWindow = false) => {
    const base = {
      urls: deployment.endpoints.map((endpoint) => endpoint.url),
      path: settings.path,
      concurrency: settings.concurrency,
      requestTimeoutMs: settings.requestTimeoutMs,
      bodies: settings.bodies,
      signal,
    };
    if (settings.warmupS > 0) loadResult(await deps.runLoad({ ...base, warmupS: 0, durationS: settings.warmupS }));
    const readUsage = await deps.backend.startUsage(deployment);
    const readEnergy = deps.startEnergyMeter?.();
    const incumbentMs = fullWindow ? undefined : settings.earlyStopIncumbentMs;
    const monitor = incumbentMs && { everyS: EARLY_STOP_CHECK_EVERY_S, stop: (progress: WindowProgress) => hopeless(progress, incumbentMs()) };
    const load = loadResult(await deps.runLoad({ ...base, warmupS: 0, durationS: settings.durationS, ...(monitor && { monitor }) }));
    const raplJoules = readEnergy?.();
    const usage = await readUsage();
    return raplJoules === undefined ? { load, usage } : { load, usage, raplJoules };
  };
}

function loadResult(outcome: LoadOutcome) {
  if (outcome.ok) return outcome.result;
  const error = new Error(outcome.error.message);
  if (outcome.error.code === 'load_aborted') error.name = 'AbortError';
  throw error;
}
