/**
 * The study loop: ask the Study (the baseline first) → the trial is recorded `running` → run it → tell the
 * outcome, which records it, until the budget is spent; then, for a study that confirms, its best configurations
 * measured again in rounds until the verdict. Storage, containers, measurement, the Study and the
 * clock are all injected, so the whole control flow (failures, interrupts, resume) is testable without Docker.
 */
import type { Deployment, DeploymentBackend, DeploymentSpec } from '../deploy/backend.ts';
import type { ProposalCost } from '../samplers/sampler.ts';
import type { Params } from '../space/params.ts';
import type { StudyRecord, TrialRecord } from '../domain/records.ts';
import { confirmationVerdict, nextConfirmation, type ConfirmationVerdict } from '../domain/confirmation.ts';
import type { Storage } from '../storage/storage.ts';
import { DEFAULT_MAX_ERROR_RATE, type JudgeOptions } from './objective.ts';
import { recoverStaleTrials, type StaleRecovery } from './stale.ts';
import { attemptsSoFar, bestTrial, isInfrastructureFailure } from '../domain/trials.ts';
import type { Study } from './study.ts';
import { INTERRUPTED, internalFailure, oneLine, runTrial, type TrialDeps, type TrialPlacement, type TrialRun } from './trial-runner.ts';

export type LoopEvent =
  | { type: 'recovered'; recovery: StaleRecovery }
  | { type: 'trial-started'; number: number; attempt: number; budget: number; params: Params; isBaseline: boolean; at: number }
  | { type: 'trial-finished'; trial: TrialRecord; attempts: number; budget: number; best?: TrialRecord; startedAt: number; at: number }
  | { type: 'confirmation-started'; number: number; confirms: number; round: number; contenders: number; params: Params; at: number }
  | { type: 'confirmation-finished'; trial: TrialRecord; verdict?: ConfirmationVerdict; startedAt: number; at: number }
  | { type: 'warning'; message: string };

export interface LoopDeps extends Omit<TrialDeps, 'warn'> {
  storage: Storage;
  backend: DeploymentBackend;
  /** The ask/tell Study on this study's stored trials (storedTrials(storage, study.id)). */
  optimizer: Study;
  toSpec: (params: Params, trialNumber: number) => DeploymentSpec;
  /** What each candidate would cost from the deployment a lane holds (cost-aware proposals); absent: plain proposals. */
  proposalCost?: (held: HeldDeployment | undefined) => ProposalCost | undefined;
  onProgress?: (event: LoopEvent) => void;
}

/** A deployment a lane keeps running between trials (the study reconfigures), with the configuration it serves. */
export interface HeldDeployment {
  deployment: Deployment;
  params: Params;
}

export interface LoopOptions {
  study: StudyRecord; // already stored; budget, objective and SLO come from it
  signal?: AbortSignal;
  maxErrorRate?: number;
  /** Infrastructure failures in a row (engine unreachable, ...) after which the study stops. */
  maxConsecutiveInternalErrors?: number;
  /** Stop once this many attempts are measured (at most the budget): a campaign interleaving studies runs each a trial at a time. */
  untilAttempts?: number;
  /**
   * Trials kept in flight at once (default 1). Each runs in its own lane (`DeploymentSpec.lane`, 0..parallel-1),
   * which the Docker backend pins to CPUs of its own (the Swarm backend claims nodes per trial instead); a
   * finished trial frees its lane for the next proposal.
   */
  parallel?: number;
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

interface Finished {
  trial: TrialRecord;
  lane: number;
  held?: HeldDeployment;
}

/**
 * Keeps up to `parallel` trials in flight until the budget's attempts are measured. Proposals are asked one at a
 * time while the others run (the sampler sees them as pending); every trial's row is committed when it ends. On
 * an interrupt or a stop no new trial starts, and the run returns only once every trial in flight has ended and
 * been torn down.
 */
export async function runStudy(deps: LoopDeps, options: LoopOptions): Promise<StudyRun> {
  const { study } = options;
  const signal = options.signal ?? new AbortController().signal;
  const emit = deps.onProgress ?? (() => {});
  const context: RunContext = { deps, study, judge: judgeOptions(options), signal, emit };
  const maxInternalErrors = options.maxConsecutiveInternalErrors ?? DEFAULT_MAX_CONSECUTIVE_INTERNAL_ERRORS;
  const parallel = options.parallel ?? 1;
  const recovery = await recoverStaleTrials(deps.storage, deps.backend, study.id);
  if (recovery.staleTrials.length > 0) emit({ type: 'recovered', recovery });

  const target = Math.min(study.budget, options.untilAttempts ?? study.budget);
  let trials = deps.storage.trials(study.id);
  const inFlight = new Map<number, Promise<Finished>>();
  const freeLanes = Array.from({ length: parallel }, (_, lane) => lane);
  const held = new Map<number, HeldDeployment>();
  let internalErrorsInARow = 0;
  let ending: StudyRun['status'] | undefined;
  let stopReason = '';
  let failedToAsk: unknown;
  for (;;) {
    if (signal.aborted) ending ??= 'interrupted';
    while (ending === undefined && freeLanes.length > 0 && attemptsSoFar(trials) + inFlight.size < target) {
      const lane = freeLanes[0] as number;
      try {
        const { number, running } = startTrial(context, lane, attemptsSoFar(trials) + inFlight.size + 1, held.get(lane));
        held.delete(lane);
        inFlight.set(number, running);
        freeLanes.shift();
      } catch (error) {
        // A sampler or storage that cannot go on: the trials in flight still end and are torn down first.
        failedToAsk = error;
        ending = 'stopped';
      }
    }
    if (inFlight.size === 0) {
      if (failedToAsk !== undefined) {
        await releaseHeld(deps, study, [...held.values()], emit);
        throw failedToAsk;
      }
      break;
    }
    const { trial, lane, held: kept } = await Promise.race(inFlight.values());
    inFlight.delete(trial.number);
    if (kept) held.set(lane, kept);
    freeLanes.push(lane);
    freeLanes.sort((a, b) => a - b);
    trials = deps.storage.trials(study.id);
    if (trial.state === 'interrupted') {
      await reapQuietly(deps, study.id, trial.number, emit);
      ending ??= 'interrupted';
      continue;
    }
    internalErrorsInARow = isInfrastructureFailure(trial.failureKind) ? internalErrorsInARow + 1 : 0;
    if (internalErrorsInARow >= maxInternalErrors && ending === undefined) {
      ending = 'stopped';
      stopReason = `${internalErrorsInARow} trials in a row could not run: ${trial.failureMessage}`;
    }
  }
  if (ending === undefined && !signal.aborted && (study.confirm ?? 0) > 0 && attemptsSoFar(trials) >= study.budget) {
    const lane0 = held.get(0);
    await tearDown(deps, [...held].flatMap(([lane, h]) => (lane === 0 ? [] : [h])));
    held.clear();
    const confirmed = await confirmWinner(context, maxInternalErrors, lane0);
    if (confirmed.held) held.set(0, confirmed.held);
    ending = confirmed.ending;
    stopReason = confirmed.reason ?? '';
  }
  await releaseHeld(deps, study, [...held.values()], emit);
  trials = deps.storage.trials(study.id);
  if (ending === 'stopped') return { status: 'stopped', reason: stopReason, trials };
  if (ending === 'interrupted' || (signal.aborted && attemptsSoFar(trials) < target)) return { status: 'interrupted', trials };
  return { status: 'complete', trials };
}

/**
 * Asks for one trial and starts it in `lane`: recorded `running` at once (asking records it, before any container
 * starts, so a crash from here on leaves a row that resume can reap); the promise ends with the committed row.
 */
function startTrial(context: RunContext, lane: number, attempt: number, held: HeldDeployment | undefined): { number: number; running: Promise<Finished> } {
  const { deps, study, emit } = context;
  const startedAt = deps.clock();
  const isBaseline = deps.optimizer.nextIsBaseline();
  // Should asking throw, the lane's deployment stays held and is released with the others.
  const { number, params } = deps.optimizer.ask(deps.proposalCost?.(held));
  emit({ type: 'trial-started', number, attempt, budget: study.budget, params, isBaseline, at: startedAt });
  const running = runAndTell(context, { lane, number, params, held, fullWindow: false }).then((finished) => {
    const stored = deps.storage.trials(study.id);
    emit({ type: 'trial-finished', trial: finished.trial, attempts: attemptsSoFar(stored), budget: study.budget, best: bestTrial(stored), startedAt, at: deps.clock() });
    return finished;
  });
  return { number, running };
}

/** A recorded running trial: run in `lane` from what the lane holds, then told to the Study; the committed row. */
async function runAndTell(
  context: RunContext,
  trial: { lane: number; number: number; params: Params; held: HeldDeployment | undefined; fullWindow: boolean },
): Promise<Finished> {
  const { deps, study, emit } = context;
  const { lane, number, params, held } = trial;
  const trialDeps: TrialDeps = { ...deps, warn: (message) => emit({ type: 'warning', message }) };
  const placement = { running: held?.deployment, keep: study.reconfigure === true, fullWindow: trial.fullWindow };
  const { outcome, kept } = await runTrialSafely(trialDeps, deps.toSpec, params, number, lane, context.judge, context.signal, placement).catch(
    (error: unknown): TrialRun => ({ outcome: internalFailure('trial', error) }),
  );
  deps.optimizer.tell(number, outcome);
  const stored = deps.storage.trials(study.id).find((t) => t.number === number) as TrialRecord;
  // A configuration that could not be expressed left the lane's deployment serving the one before.
  const served = kept !== undefined && kept === held?.deployment ? held.params : params;
  return { trial: stored, lane, ...(kept && { held: { deployment: kept, params: served } }) };
}

/**
 * After the budget, the study's best configurations measured again in interleaved rounds in lane 0, whole windows
 * only, until the verdict (src/domain/confirmation.ts). The other lanes are released first, so nothing runs beside
 * a round. Returns how it ended, when it did not finish, and what lane 0 still holds.
 */
async function confirmWinner(context: RunContext, maxInternalErrors: number, held: HeldDeployment | undefined): Promise<{ ending?: 'interrupted' | 'stopped'; reason?: string; held?: HeldDeployment }> {
  const { deps, study, signal, emit } = context;
  const contenders = deps.optimizer.contenders(study.confirm ?? 0);
  if (contenders.length < 2) {
    emit({ type: 'warning', message: `no confirmation rounds: ${contenders.length} distinct configuration(s) completed, at least 2 are needed` });
    return { held };
  }
  let internalErrorsInARow = 0;
  for (;;) {
    if (signal.aborted) return { ending: 'interrupted', held };
    const next = nextConfirmation(deps.storage.trials(study.id), contenders);
    if (next === undefined) return { held };
    const startedAt = deps.clock();
    const { number, params } = deps.optimizer.askConfirmation(next.confirms, next.round);
    emit({ type: 'confirmation-started', number, ...next, contenders: contenders.length, params, at: startedAt });
    const finished = await runAndTell(context, { lane: 0, number, params, held, fullWindow: true });
    held = finished.held;
    const { trial } = finished;
    emit({ type: 'confirmation-finished', trial, verdict: confirmationVerdict(deps.storage.trials(study.id), contenders), startedAt, at: deps.clock() });
    if (trial.state === 'interrupted') {
      await reapQuietly(deps, study.id, trial.number, emit);
      return { ending: 'interrupted', held };
    }
    internalErrorsInARow = isInfrastructureFailure(trial.failureKind) ? internalErrorsInARow + 1 : 0;
    if (internalErrorsInARow >= maxInternalErrors) return { ending: 'stopped', reason: `${internalErrorsInARow} confirmation trials in a row could not run: ${trial.failureMessage}`, held };
  }
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
  lane: number,
  judge: JudgeOptions,
  signal: AbortSignal,
  placement: TrialPlacement,
): Promise<TrialRun> {
  // A configuration that cannot be expressed leaves the lane's deployment as it was, for the next trial.
  const unchanged = placement.running && { kept: placement.running };
  let spec: DeploymentSpec;
  try {
    spec = { ...toSpec(params, number), lane };
  } catch (error) {
    return { outcome: { state: 'failed', failureKind: 'invalid_config', failureMessage: oneLine(error) }, ...unchanged };
  }
  if (signal.aborted) return { outcome: INTERRUPTED, ...unchanged };
  return runTrial(deps, spec, judge, signal, placement);
}

/**
 * A study that reconfigures: once no trial is in flight, tears down what the lanes still hold, then removes any
 * replica of the study left over (a failed teardown of a reconfigured deployment cannot find its replicas by
 * trial: they carry the labels of the trial that started them).
 */
async function releaseHeld(deps: LoopDeps, study: StudyRecord, held: HeldDeployment[], emit: (event: LoopEvent) => void): Promise<void> {
  if (study.reconfigure !== true) return;
  await tearDown(deps, held);
  await reapQuietly(deps, study.id, undefined, emit);
}

/** Best effort: what a teardown leaves, the study-wide reap after it removes. */
async function tearDown(deps: LoopDeps, held: readonly HeldDeployment[]): Promise<void> {
  for (const { deployment } of held) await deps.backend.teardown(deployment).catch(() => undefined);
}

/** An aborted deploy may have left containers half-started; the labels find them. */
async function reapQuietly(deps: LoopDeps, studyId: string, trialNumber: number | undefined, emit: (event: LoopEvent) => void): Promise<void> {
  try {
    await deps.backend.reap(trialNumber === undefined ? { studyId } : { studyId, trialNumber });
  } catch (error) {
    const whose = trialNumber === undefined ? `study ${studyId}` : `trial ${trialNumber}`;
    emit({ type: 'warning', message: `could not remove containers of ${whose}: ${oneLine(error)}; run: tune reap` });
  }
}
