/**
 * The study loop: ask the Study (the baseline first) → the trial is recorded `running` → run it → tell the
 * outcome, which records it, until the budget is spent. Storage, containers, measurement, the Study and the
 * clock are all injected, so the whole control flow (failures, interrupts, resume) is testable without Docker.
 */
import type { DeploymentBackend, DeploymentSpec } from '../deploy/backend.ts';
import type { Params } from '../space/params.ts';
import type { StudyRecord, TrialOutcome, TrialRecord } from '../domain/records.ts';
import type { Storage } from '../storage/storage.ts';
import { DEFAULT_MAX_ERROR_RATE, type JudgeOptions } from './objective.ts';
import { recoverStaleTrials, type StaleRecovery } from './stale.ts';
import { attemptsSoFar, bestTrial, isInfrastructureFailure } from '../domain/trials.ts';
import type { Study } from './study.ts';
import { INTERRUPTED, oneLine, runTrial, type TrialDeps } from './trial-runner.ts';

export type LoopEvent =
  | { type: 'recovered'; recovery: StaleRecovery }
  | { type: 'trial-started'; number: number; attempt: number; budget: number; params: Params; isBaseline: boolean; at: number }
  | { type: 'trial-finished'; trial: TrialRecord; attempts: number; budget: number; best?: TrialRecord; startedAt: number; at: number }
  | { type: 'warning'; message: string };

export interface LoopDeps extends Omit<TrialDeps, 'warn'> {
  storage: Storage;
  backend: DeploymentBackend;
  /** The ask/tell Study on this study's stored trials (storedTrials(storage, study.id)). */
  optimizer: Study;
  toSpec: (params: Params, trialNumber: number) => DeploymentSpec;
  onProgress?: (event: LoopEvent) => void;
}

export interface LoopOptions {
  study: StudyRecord; // already stored; budget, objective and SLO come from it
  signal?: AbortSignal;
  maxErrorRate?: number;
  /** Infrastructure failures in a row (engine unreachable, ...) after which the study stops. */
  maxConsecutiveInternalErrors?: number;
  /** Stop once this many attempts are measured (at most the budget): a campaign interleaving studies runs each a trial at a time. */
  untilAttempts?: number;
}

export type StudyRun =
  | { status: 'complete'; trials: TrialRecord[] }
  | { status: 'interrupted'; trials: TrialRecord[] }
  | { status: 'stopped'; reason: string; trials: TrialRecord[] };

const DEFAULT_MAX_CONSECUTIVE_INTERNAL_ERRORS = 2;

/** What every trial of one run shares. */
interface RunContext {
  deps: LoopDeps;
  study: StudyRecord;
  judge: JudgeOptions;
  signal: AbortSignal;
  emit: (event: LoopEvent) => void;
}

export async function runStudy(deps: LoopDeps, options: LoopOptions): Promise<StudyRun> {
  const { study } = options;
  const signal = options.signal ?? new AbortController().signal;
  const emit = deps.onProgress ?? (() => {});
  const context: RunContext = { deps, study, judge: judgeOptions(options), signal, emit };
  const maxInternalErrors = options.maxConsecutiveInternalErrors ?? DEFAULT_MAX_CONSECUTIVE_INTERNAL_ERRORS;
  const recovery = await recoverStaleTrials(deps.storage, deps.backend, study.id);
  if (recovery.staleTrials.length > 0) emit({ type: 'recovered', recovery });

  const target = Math.min(study.budget, options.untilAttempts ?? study.budget);
  let trials = deps.storage.trials(study.id);
  let internalErrorsInARow = 0;
  while (attemptsSoFar(trials) < target) {
    if (signal.aborted) return { status: 'interrupted', trials };
    let trial: TrialRecord;
    ({ trial, trials } = await recordedTrial(context, trials));
    if (trial.state === 'interrupted') {
      await reapQuietly(deps, study.id, trial.number, emit);
      return { status: 'interrupted', trials };
    }
    internalErrorsInARow = isInfrastructureFailure(trial.failureKind) ? internalErrorsInARow + 1 : 0;
    if (internalErrorsInARow >= maxInternalErrors) {
      return { status: 'stopped', reason: `${internalErrorsInARow} trials in a row could not run: ${trial.failureMessage}`, trials };
    }
  }
  return { status: 'complete', trials };
}

/** One trial from proposal to committed row: recorded `running` first, finished before the next one starts; with the rows after it. */
async function recordedTrial(context: RunContext, trials: TrialRecord[]): Promise<{ trial: TrialRecord; trials: TrialRecord[] }> {
  const { deps, study, emit } = context;
  const startedAt = deps.clock();
  const isBaseline = deps.optimizer.nextIsBaseline();
  // Asking records the trial running before any container starts: a crash from here on leaves a row that resume can reap.
  const { number, params } = deps.optimizer.ask();
  emit({ type: 'trial-started', number, attempt: attemptsSoFar(trials) + 1, budget: study.budget, params, isBaseline, at: startedAt });
  const trialDeps: TrialDeps = { ...deps, warn: (message) => emit({ type: 'warning', message }) };
  const outcome = await runTrialSafely(trialDeps, deps.toSpec, params, number, context.judge, context.signal);
  deps.optimizer.tell(number, outcome);
  const stored = deps.storage.trials(study.id);
  const trial = stored.find((t) => t.number === number) as TrialRecord;
  emit({ type: 'trial-finished', trial, attempts: attemptsSoFar(stored), budget: study.budget, best: bestTrial(stored), startedAt, at: deps.clock() });
  return { trial, trials: stored };
}

function judgeOptions(options: LoopOptions): JudgeOptions {
  return {
    objective: options.study.objective,
    sloP99Ms: options.study.sloP99Ms,
    maxErrorRate: options.maxErrorRate ?? DEFAULT_MAX_ERROR_RATE,
  };
}

/** A parameter the backend cannot express is a failed trial, not a crashed study. */
async function runTrialSafely(
  deps: TrialDeps,
  toSpec: LoopDeps['toSpec'],
  params: Params,
  number: number,
  judge: JudgeOptions,
  signal: AbortSignal,
): Promise<TrialOutcome> {
  let spec: DeploymentSpec;
  try {
    spec = toSpec(params, number);
  } catch (error) {
    return { state: 'failed', failureKind: 'invalid_config', failureMessage: oneLine(error) };
  }
  if (signal.aborted) return INTERRUPTED;
  return runTrial(deps, spec, judge, signal);
}

/** An aborted deploy may have left containers half-started; the labels find them. */
async function reapQuietly(deps: LoopDeps, studyId: string, trialNumber: number, emit: (event: LoopEvent) => void): Promise<void> {
  try {
    await deps.backend.reap({ studyId, trialNumber });
  } catch (error) {
    emit({ type: 'warning', message: `could not remove containers of trial ${trialNumber}: ${oneLine(error)}` });
  }
}
