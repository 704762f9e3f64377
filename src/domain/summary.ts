/**
 * A study in brief: trial counts, the baseline against the best, the speed-up, (when the optimizer's model can
 * tell) the posterior pick, the confirmed winner and, for a study minimising several objectives, its trade-off.
 * Data only: `tune best`, the end of `tune`, the HTML report and the campaigns all render this one summary, so
 * they cannot disagree.
 */
import type { Params } from '../space/params.ts';
import { TRIAL_STATES, type StudyRecord, type StudyWorkload, type TrialMetrics, type TrialRecord, type TrialState } from './records.ts';
import { confirmationVerdict, type ConfirmationVerdict } from './confirmation.ts';
import { attemptsSoFar, baselineTrial, bestTrial, isSearchTrial, speedup, trialValue } from './trials.ts';
import { studyTimeSpent, type StudyTimeSpent } from './time-spent.ts';
import type { Objective } from './vocabulary.ts';

export interface TrialBrief {
  number: number;
  state: TrialState;
  params: Params;
  /** On the study's objective; undefined unless the trial completed. */
  value?: number;
  metrics?: TrialMetrics;
}

/** The complete trial the optimizer's model believes best once measurement noise is averaged out. */
export interface PosteriorBest {
  number: number;
  estimate: number;
}

/** A Pareto-optimal trial of a trade-off study, with its value on each of the study's objectives. */
export interface FrontTrial {
  number: number;
  params: Params;
  values: number[];
}

/**
 * What a study minimising several objectives found (computed by src/dse/tradeoff.ts): the Pareto front of its
 * complete trials, the hypervolume it dominates up to the reference point, after each measured attempt and at
 * the end, and the knee of a 2-objective front.
 */
export interface StudyTradeoff {
  objectives: Objective[];
  /** Undefined until a trial completes. */
  reference?: number[];
  /** By the first objective, best first. */
  front: FrontTrial[];
  hypervolume: number;
  /** Indexed by measured attempt (0 = the baseline), as the convergence curve is. */
  hypervolumeByAttempt: number[];
  /** The knee's trial number. */
  knee?: number;
  /** Where the complete trials' energy figures came from, each source once (shown with energy objectives). */
  energySources?: TrialMetrics['energySource'][];
}

export interface StudySummary {
  study: string;
  model: string;
  /** The recorded traffic its load replayed; absent: generated inputs. */
  workload?: StudyWorkload;
  concurrency: number;
  strategy: string;
  seed: number;
  objective: Objective;
  budget: number;
  /** Measured attempts: what the budget counts. */
  attempts: number;
  counts: Record<TrialState, number>;
  baseline?: TrialBrief;
  best?: TrialBrief;
  /** Baseline value ÷ best value on the objective. */
  speedup?: number;
  posteriorBest?: PosteriorBest;
  /** A study minimising several objectives: its front, hypervolume and knee (best, baseline and speed-up are on the primary one). */
  tradeoff?: StudyTradeoff;
  /** Where the study's time went: deploying, warming up, measuring, saved by stopping early. */
  timeSpent: StudyTimeSpent;
  /** The best configurations measured again after the budget, and the verdict: the study's final answer when present. */
  confirmation?: ConfirmationVerdict;
}

export function summarizeStudy(study: StudyRecord, trials: readonly TrialRecord[], posteriorBest?: PosteriorBest, tradeoff?: StudyTradeoff): StudySummary {
  const counts = Object.fromEntries(TRIAL_STATES.map((state) => [state, 0])) as Record<TrialState, number>;
  // The counts are the search's; confirmation trials are shown apart, in the verdict.
  for (const trial of trials.filter(isSearchTrial)) counts[trial.state] += 1;
  const confirmation = confirmationVerdict(trials);
  const brief = (trial: TrialRecord | undefined): TrialBrief | undefined =>
    trial && { number: trial.number, state: trial.state, params: trial.params, value: trialValue(trial, study.objective), metrics: trial.metrics };
  // Absent parts stay undefined: JSON output drops them.
  return {
    study: study.id,
    model: study.model,
    workload: study.workload,
    concurrency: study.concurrency,
    strategy: study.strategy,
    seed: study.seed,
    objective: study.objective,
    budget: study.budget,
    attempts: attemptsSoFar(trials),
    counts,
    baseline: brief(baselineTrial(trials)),
    best: brief(bestTrial(trials, study.objective)),
    speedup: speedup(trials, study.objective),
    posteriorBest,
    ...(tradeoff && { tradeoff }),
    timeSpent: studyTimeSpent({ study, trials: [...trials] }),
    ...(confirmation && { confirmation }),
  };
}
