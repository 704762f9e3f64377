/**
 * Where a study's time went (pure): seconds deploying, warming up and measuring, the rest of the wall time, the
 * seconds early stopping saved, and how the trials were deployed. The report and the CLI summary show this one
 * breakdown.
 */
import { DEPLOY_MODES, type DeployMode, type StudyTrials, type TrialRecord } from './records.ts';
import { isSearchTrial, parallelOf } from './trials.ts';

export interface StudyTimeSpent {
  /** Σ deploySeconds: from asking for the replicas until they were ready. */
  deployingS: number;
  /** study.warmupS for every trial that was measured (has metrics): each warmed up first. */
  warmingUpS: number;
  /** Σ metrics.windowS: the measurement windows, shortened ones as they ran. */
  measuringS: number;
  /** The wall time left over (between trials, failed deploys, teardown, a resumed study's pause); never negative. */
  otherS: number;
  /** From the first trial's start to the last trial's finish; 0 before any trial finished. */
  wallS: number;
  /**
   * Trials in flight at once: above 1 the phase sums are busy seconds summed over the trials running side by
   * side, so they can exceed the wall time (and `otherS` is then mostly 0).
   */
  parallel: number;
  /** Σ (study.durationS − metrics.windowS) over the trials stopped early. */
  savedByEarlyStopS: number;
  stoppedEarly: number;
  /** Trials whose replicas came up, by how. */
  byDeployMode: Record<DeployMode, number>;
  /** Confirmation trials after the budget, and the wall time from the first one's start to the last one's end (within wallS). */
  confirmationTrials: number;
  confirmingS: number;
}

/** The phases of a trial, in the order they run, with the words both the report and the CLI use. */
export const TIME_PHASES = [
  { key: 'deployingS', label: 'deploying' },
  { key: 'warmingUpS', label: 'warming up' },
  { key: 'measuringS', label: 'measuring' },
  { key: 'otherS', label: 'other' },
] as const satisfies readonly { key: keyof StudyTimeSpent; label: string }[];

/** How a trial's replicas came up, and in how many seconds; undefined when they never did (a failed deploy records neither). */
export function trialDeploy(trial: Pick<TrialRecord, 'deployMode' | 'deploySeconds'>): { mode: DeployMode; seconds?: number } | undefined {
  if (trial.deploySeconds === undefined && trial.deployMode === undefined) return undefined;
  // Rows from before live reconfiguration carry no mode: their replicas were always started fresh.
  const mode = trial.deployMode ?? 'fresh';
  return trial.deploySeconds === undefined ? { mode } : { mode, seconds: trial.deploySeconds };
}

/** When the study's first trial started and its last one finished (epoch ms); undefined before any trial finished. */
export function studySpan(trials: readonly TrialRecord[]): { startMs: number; endMs: number } | undefined {
  const finished = trials.flatMap((t) => (t.finishedAt === undefined ? [] : [Date.parse(t.finishedAt)]));
  if (finished.length === 0) return undefined;
  return { startMs: Math.min(...trials.map((t) => Date.parse(t.startedAt))), endMs: Math.max(...finished) };
}

export function studyTimeSpent({ study, trials }: StudyTrials): StudyTimeSpent {
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  const measured = trials.flatMap((t) => (t.metrics === undefined ? [] : [{ trial: t, windowS: t.metrics.windowS }]));
  const stopped = measured.filter(({ trial }) => trial.stoppedEarly === true);
  const deployingS = sum(trials.map((t) => t.deploySeconds ?? 0));
  const warmingUpS = measured.length * study.warmupS;
  const measuringS = sum(measured.map((m) => m.windowS));
  const span = studySpan(trials);
  const wallS = span === undefined ? 0 : (span.endMs - span.startMs) / 1000;
  const byDeployMode = Object.fromEntries(DEPLOY_MODES.map((mode) => [mode, 0])) as Record<DeployMode, number>;
  for (const t of trials) {
    const deploy = trialDeploy(t);
    if (deploy !== undefined) byDeployMode[deploy.mode] += 1;
  }
  const confirming = trials.filter((t) => !isSearchTrial(t));
  const confirmingSpan = studySpan(confirming);
  return {
    deployingS,
    warmingUpS,
    measuringS,
    otherS: Math.max(0, wallS - deployingS - warmingUpS - measuringS),
    wallS,
    parallel: parallelOf(study),
    savedByEarlyStopS: sum(stopped.map((m) => Math.max(0, study.durationS - m.windowS))),
    stoppedEarly: stopped.length,
    byDeployMode,
    confirmationTrials: confirming.length,
    confirmingS: confirmingSpan === undefined ? 0 : (confirmingSpan.endMs - confirmingSpan.startMs) / 1000,
  };
}
