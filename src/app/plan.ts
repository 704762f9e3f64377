/**
 * What `tune --dry-run` shows: the study it would run, the space and the baseline, and a time estimate.
 * Pure: it describes a StudySetup without running anything.
 */
import type { Parameter } from '../space/parameter.ts';
import type { Params } from '../space/params.ts';
import type { Objective } from '../domain/vocabulary.ts';
import { CONFIRMATION } from '../domain/confirmation.ts';
import type { ApiVersion, BackendName, InputShapes, StudyWorkload } from '../domain/records.ts';
import { backendOf, parallelOf } from '../domain/trials.ts';
import type { StudySetup } from './study-setup.ts';
import { describeSource } from './model.ts';

/** Deploy and readiness per trial, a rough allowance for the estimate. */
const DEPLOY_ALLOWANCE_S = 10;

export interface StudyPlan {
  study: string;
  resume: boolean;
  db: string;
  model: string;
  /** The inference protocol the load speaks. */
  api: ApiVersion;
  /** The recorded traffic the load replays; absent: generated inputs. */
  workload?: StudyWorkload;
  /** Item shapes given for a user model's inputs (--input-shape). */
  inputShapes?: InputShapes;
  precisions: string[];
  concurrency: number;
  strategy: string;
  seed: number;
  budget: number;
  objective: Objective;
  /** A study minimising several objectives: all of them, `objective` first. */
  objectives?: Objective[];
  sloP99Ms?: number;
  durationS: number;
  warmupS: number;
  space: { origin: string; parameters: string[]; pinned: Params; constraints: string[] };
  gridSize?: number;
  baseline: Params;
  backend: BackendName;
  parallel: number;
  earlyStop: boolean;
  reconfigure: boolean;
  costAware: boolean;
  /** Contenders confirmed after the budget (0: none). */
  confirm: number;
  estimatedSeconds: number;
}

export function studyPlan(setup: StudySetup, db: string, gridSize?: number): StudyPlan {
  const { study, space } = setup;
  return {
    study: study.id,
    resume: !setup.isNew,
    db,
    model: describeSource(setup.source),
    api: study.api ?? 'v1',
    ...(study.workload && { workload: study.workload }),
    ...(study.inputShapes && { inputShapes: study.inputShapes }),
    precisions: setup.precisions,
    concurrency: study.concurrency,
    strategy: study.strategy,
    seed: study.seed,
    budget: study.budget,
    objective: study.objective,
    ...(study.objectives === undefined ? {} : { objectives: study.objectives }),
    ...(study.sloP99Ms === undefined ? {} : { sloP99Ms: study.sloP99Ms }),
    durationS: study.durationS,
    warmupS: study.warmupS,
    space: {
      origin: space.origin,
      parameters: space.parameters.map(describeParameter),
      pinned: { ...space.pinned },
      constraints: space.constraints.map((c) => c.source),
    },
    ...(gridSize === undefined ? {} : { gridSize }),
    baseline: { ...setup.baseline },
    backend: backendOf(study),
    parallel: parallelOf(study),
    earlyStop: study.earlyStop === true,
    reconfigure: study.reconfigure === true,
    costAware: study.costAware === true,
    confirm: study.confirm ?? 0,
    // At most: trials stopped early or reconfigured take less, and confirmation usually ends before its last round.
    estimatedSeconds:
      (Math.ceil(study.budget / parallelOf(study)) + (study.confirm ?? 0) * CONFIRMATION.maxRounds) * (study.warmupS + study.durationS + DEPLOY_ALLOWANCE_S),
  };
}

export function describeParameter(p: Parameter): string {
  switch (p.kind) {
    case 'categorical':
      return `${p.name}: one of ${p.choices.join(', ')} (default ${p.default})`;
    case 'pow2':
      return `${p.name}: power of two ${p.low}..${p.high} (default ${p.default})`;
    default:
      return `${p.name}: ${p.kind} ${p.low}..${p.high}${p.log ? ' log scale' : ''}${p.step && p.step !== 1 ? ` step ${p.step}` : ''} (default ${p.default})`;
  }
}
