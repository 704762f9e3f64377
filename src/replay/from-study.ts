/**
 * A stored study as a replay file: only what its budget counted (isMeasuredAttempt: no confirmation trials, no
 * interrupted or infrastructure-failed rows, nothing still running), each with its value on the study's objective
 * or why it failed. Refuses what a replay cannot hold: several objectives, a space this version cannot read back,
 * no complete trial. Pure; the file is checked by the reader, and its space rebuilt, before it is handed back, so
 * what is written replays.
 */
import type { StudyRecord, TrialMetrics, TrialRecord } from '../domain/records.ts';
import { byNumber, isMeasuredAttempt, studyObjectives, trialValue } from '../domain/trials.ts';
import { isStoredSpace } from '../study/study-space.ts';
import { parseReplay, REPLAY_FORMAT, REPLAY_VERSION, type ReplayFile, type ReplayMeasurement, type ReplayTrial } from './replay-file.ts';
import { replaySpace } from './replay-space.ts';

export type ReplayProblem = 'several_objectives' | 'space_unreadable' | 'no_complete_trial' | 'not_replayable';
export type ReplayOfStudy = { ok: true; replay: ReplayFile } | { ok: false; code: ReplayProblem; message: string };

/** Failure messages are for a reader of the file, not a log: the first line, cut here. */
const MAX_MESSAGE = 200;

export function replayOfStudy(study: StudyRecord, trials: readonly TrialRecord[]): ReplayOfStudy {
  const objectives = studyObjectives(study);
  if (objectives.length > 1) {
    return refuse('several_objectives', `study "${study.id}" minimises ${objectives.join(', ')} at once: a replay holds one objective; export a single-objective study`);
  }
  if (!isStoredSpace(study.space)) return refuse('space_unreadable', `study "${study.id}" has no stored search space this version can read: it cannot be replayed`);
  const measured = byNumber(trials).filter(isMeasuredAttempt).map((trial) => replayTrial(trial, study));
  if (!measured.some((trial) => trial.state === 'complete')) {
    return refuse('no_complete_trial', `study "${study.id}" has no complete trial to fit a replay to: continue it first with: tune --resume ${study.id}`);
  }
  const { host } = study;
  const replay: ReplayFile = {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    study: {
      id: study.id,
      model: study.model,
      concurrency: study.concurrency,
      objective: study.objective,
      strategy: study.strategy,
      seed: study.seed,
      budget: study.budget,
      durationS: study.durationS,
      warmupS: study.warmupS,
      ...(study.sloP99Ms === undefined ? {} : { sloP99Ms: study.sloP99Ms }),
      host: { cpus: host.cpus, cpuModel: host.cpuModel, memoryBytes: host.memoryBytes },
    },
    space: study.space,
    trials: measured,
  };
  const source = `study "${study.id}"`;
  const checked = parseReplay(replay, source);
  const problem = checked.ok ? replaySpace(checked.value, source) : checked;
  return problem.ok ? { ok: true, replay } : refuse('not_replayable', `${problem.error.message}: it cannot be replayed`);
}

/** A complete trial without a finite value on the objective is, to the sampler, a failure: so it is here. */
function replayTrial(trial: TrialRecord, study: StudyRecord): ReplayTrial {
  const { number, params } = trial;
  const measured = trial.metrics && measurementOf(trial.metrics, trial.stoppedEarly ?? false);
  const extra = measured === undefined ? {} : { measured };
  const value = trialValue(trial, study.objective);
  if (value !== undefined) return { number, params, state: 'complete', value, ...extra };
  const message = trial.state === 'complete' ? `the ${study.objective} value is not finite` : firstLine(trial.failureMessage);
  const failureKind = trial.state === 'complete' ? 'objective_not_finite' : (trial.failureKind ?? 'failed');
  return { number, params, state: 'failed', failureKind, ...(message === undefined ? {} : { failureMessage: message }), ...extra };
}

/** Undefined for a window with a figure missing (one in which no request succeeded has no mean): nothing to replay. */
function measurementOf(metrics: TrialMetrics, stoppedEarly: boolean): ReplayMeasurement | undefined {
  const { meanMs, meanCi95Ms, p99Ms, throughputRps, windowS } = metrics;
  if (![meanMs, meanCi95Ms, p99Ms, throughputRps, windowS].every(Number.isFinite)) return undefined;
  return { meanMs, meanCi95Ms, p99Ms, throughputRps, windowS, stoppedEarly };
}

function firstLine(message: string | undefined): string | undefined {
  const line = message?.split(/\r?\n/, 1)[0]?.trim();
  if (line === undefined || line === '') return undefined;
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

function refuse(code: ReplayProblem, message: string): ReplayOfStudy {
  return { ok: false, code, message };
}
