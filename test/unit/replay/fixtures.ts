/** A small synthetic serving study for the replay tests: its space, a smooth latency landscape, an OOM region. */
import type { Confirming, StudyRecord, TrialOutcome } from '../../../src/domain/records.ts';
import { spaceContextOf } from '../../../src/host/host.ts';
import { createRng } from '../../../src/random/rng.ts';
import { REPLAY_FORMAT, REPLAY_VERSION, type ReplayFile, type ReplayTrial } from '../../../src/replay/replay-file.ts';
import type { Params } from '../../../src/space/params.ts';
import { sampleFeasible } from '../../../src/space/space.ts';
import { unwrapSpace } from '../../../src/space/space-error.ts';
import type { Storage } from '../../../src/storage/storage.ts';
import { spaceFromStored, type StoredSpace } from '../../../src/study/study-space.ts';
import { aStudy, someMetrics } from '../storage/fixtures.ts';

export const STORED_SPACE: StoredSpace = {
  origin: 'search-spaces/replay-test.json',
  document: {
    parameters: [
      { name: 'replicas', kind: 'int', low: 1, high: 4, default: 1 },
      { name: 'cpus', kind: 'float', low: 0.5, high: 2, step: 0.25, default: 1 },
      { name: 'max_batch_size', kind: 'pow2', low: 1, high: 32, default: 1 },
      { name: 'execution_mode', kind: 'categorical', choices: ['sequential', 'parallel'] },
      { name: 'precision', kind: 'categorical', choices: ['fp32', 'int8'] },
    ],
    constraints: ['replicas * cpus <= host_cores'],
  },
  pinned: { precision: 'fp32' },
};

/** The host the synthetic study ran on: its 4 cores shape the space's constraint. */
export const HOST = { hostname: 'lab', cpus: 4, cpuModel: 'Test CPU', memoryBytes: 8 * 2 ** 30, platform: 'linux', nodeVersion: 'v20' };

export const SPACE = unwrapSpace(spaceFromStored(STORED_SPACE, spaceContextOf(HOST)));

/** A configuration of the fixture's space: `replicas` of one CPU each, batching up to `batch`. */
export const at = (replicas: number, batch = 1): Params => ({ replicas, cpus: 1, max_batch_size: batch, execution_mode: 'sequential', precision: 'fp32' });

export function replayStudyRecord(overrides: Partial<StudyRecord> = {}): StudyRecord {
  return aStudy({ id: 'synthetic-bo-c8-b40-s1', model: 'synthetic', concurrency: 8, sloP99Ms: undefined, space: STORED_SPACE, host: HOST, ...overrides });
}

/** Mean latency (ms), smooth in every knob: most CPU in total is best, batching helps up to 8, parallel mode a little. */
export function latency(params: Params): number {
  const total = (params.replicas as number) * (params.cpus as number);
  const batch = Math.log2(params.max_batch_size as number);
  return (30 / Math.sqrt(total)) * (1 + 0.04 * (batch - 3) ** 2) * (params.execution_mode === 'parallel' ? 0.92 : 1) + 5;
}

/** One replica with a large batch runs out of memory. */
export function fails(params: Params): boolean {
  return params.replicas === 1 && (params.max_batch_size as number) >= 16;
}

/** Relative 95% half-interval of every synthetic window. */
export const CI_FRACTION = 0.02;

/**
 * A replay of `count` random feasible configurations (the baseline first), measured with noise of the stated
 * interval, failing in the OOM region, all with the same seed.
 */
export function syntheticReplay(count = 40, seed = 1): ReplayFile {
  const rng = createRng(`synthetic-replay-${seed}`);
  const configurations: Params[] = [at(1)];
  while (configurations.length < count) configurations.push(sampleFeasible(SPACE, rng) as Params);
  const trials = configurations.map((params, number): ReplayTrial => {
    if (fails(params)) return { number, params, state: 'failed', failureKind: 'oom_killed', failureMessage: 'replica 1 was OOM-killed' };
    const truth = latency(params);
    const value = truth * (1 + (CI_FRACTION / 1.96) * rng.normal());
    const measured = { meanMs: value, meanCi95Ms: CI_FRACTION * value, p99Ms: 2 * value, throughputRps: 8000 / value, windowS: 10, stoppedEarly: false };
    return { number, params, state: 'complete', value, measured };
  });
  const { id, model, concurrency, objective, strategy, budget, durationS, warmupS } = replayStudyRecord();
  return {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    study: { id, model, concurrency, objective, strategy, seed, budget, durationS, warmupS, host: { cpus: HOST.cpus, cpuModel: HOST.cpuModel, memoryBytes: HOST.memoryBytes } },
    space: STORED_SPACE,
    trials,
  };
}

/**
 * The fixture study with one trial of every kind a database holds: complete, failed, failed for the infrastructure,
 * interrupted, stopped early, failed with metrics, confirming, running, failed without a mean. Only 0, 1, 4, 5 and 8
 * are measured search attempts.
 */
export function recordEveryKindOfTrial(storage: Storage, study: StudyRecord = replayStudyRecord()): void {
  storage.createStudy(study);
  const finish = (number: number, params: Params, outcome: TrialOutcome, confirming?: Confirming) => {
    storage.startTrial(study.id, number, params, confirming);
    storage.finishTrial(study.id, number, outcome);
  };
  finish(0, at(1), { state: 'complete', metrics: someMetrics({ meanMs: 40, meanCi95Ms: 0.8, windowS: 10 }), objectiveValue: 40 });
  finish(1, at(1, 32), { state: 'failed', failureKind: 'oom_killed', failureMessage: 'replica 1 was OOM-killed\n  at the second line' });
  finish(2, at(2), { state: 'failed', failureKind: 'engine_unreachable', failureMessage: 'the engine went away' });
  finish(3, at(3), { state: 'interrupted', failureKind: 'interrupted' });
  finish(4, at(4), { state: 'complete', metrics: someMetrics({ meanMs: 25, meanCi95Ms: 3, windowS: 2.5 }), objectiveValue: 25, stoppedEarly: true });
  finish(5, at(2, 8), { state: 'failed', failureKind: 'slo_violated', failureMessage: 'p99 310 ms > 250 ms', metrics: someMetrics({ meanMs: 90, p99Ms: 310 }) });
  finish(6, at(4), { state: 'complete', metrics: someMetrics({ meanMs: 24 }), objectiveValue: 24 }, { confirms: 4, round: 1 });
  storage.startTrial(study.id, 7, at(3)); // still running
  // Measured, but no request succeeded: the window has no mean to replay.
  finish(8, at(1, 16), { state: 'failed', failureKind: 'no_responses', failureMessage: 'no request succeeded in the measurement window', metrics: someMetrics({ meanMs: Number.NaN, meanCi95Ms: Number.NaN, p99Ms: Number.NaN }) });
}
