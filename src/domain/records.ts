/**
 * The records of the domain: a study, its trials and what a trial measured. Storage persists them, the study
 * loop and the ask/tell Study write them, and every report, summary and campaign reads them.
 */
import type { Params } from '../space/params.ts';
import type { FailureKind, Objective } from './vocabulary.ts';

export const TRIAL_STATES = ['running', 'complete', 'failed', 'interrupted'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

/** What the study ran on, stored with it: results from different hosts are not comparable. */
export interface HostFacts {
  hostname: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  platform: string;
  nodeVersion: string;
  dockerVersion?: string;
}

/**
 * How a trial's replicas came to run its configuration: started for it (`fresh`), kept from the trial before with
 * resources and batching changed in place (`reconfigured`), or kept with new ONNX Runtime sessions (`reloaded`).
 */
export const DEPLOY_MODES = ['fresh', 'reconfigured', 'reloaded'] as const;
export type DeployMode = (typeof DEPLOY_MODES)[number];

/**
 * Why a trial ran: proposed by the search (counted in the budget, taught to the sampler), or re-measuring one of
 * the best search trials' configurations after the budget, to confirm the winner (src/domain/confirmation.ts).
 */
export const TRIAL_KINDS = ['search', 'confirmation'] as const;
export type TrialKind = (typeof TRIAL_KINDS)[number];

/** What a confirmation trial measures again: search trial `confirms`'s configuration, in round `round` (from 1). */
export interface Confirming {
  confirms: number;
  round: number;
}

/** Where a study's trials are deployed: one Docker engine, or a Docker Swarm cluster. */
export const BACKENDS = ['docker', 'swarm'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface StudyRecord {
  id: string; // the study name, unique
  model: string; // built-in name or a user's path
  concurrency: number;
  strategy: string; // a sampler name: bo | random | grid | lhs
  seed: number;
  budget: number;
  objective: Objective; // the primary objective: what each trial's objectiveValue is on
  /** Present only when the study minimises several objectives at once (a trade-off): all of them, `objective` first. */
  objectives?: Objective[];
  sloP99Ms?: number;
  space: unknown; // the stored search space (src/study/study-space.ts), as JSON
  durationS: number;
  warmupS: number;
  host: HostFacts;
  createdAt: string; // ISO 8601
  /** Absent: docker. */
  backend?: BackendName;
  /** Trials kept in flight at once; absent: 1. */
  parallel?: number;
  /** Stops a measurement once it is confidently worse than the incumbent (src/study/early-stop.ts); absent: off (older studies). */
  earlyStop?: boolean;
  /** Keeps replicas between trials and changes them in place where the configurations allow; absent: off. */
  reconfigure?: boolean;
  /** Proposals weigh expected improvement against each move's predicted seconds; absent: off. */
  costAware?: boolean;
  /** After the budget, this many of the best configurations are measured again in rounds to confirm the winner; absent: 0 (none). */
  confirm?: number;
  /** The recorded traffic the load replays (--workload FILE), and its content hash; absent: the generated workload. */
  workload?: StudyWorkload;
  /** The inference protocol the load speaks; absent: v1. */
  api?: ApiVersion;
  /** Item shapes fixing a user's model's dynamic input dims (--input-shape NAME=DxD), by input name; absent: none given. */
  inputShapes?: InputShapes;
}

/** A recorded-traffic file: its path as given and the sha256 of its bytes when the study was created. */
export interface StudyWorkload {
  file: string;
  sha256: string;
}

export const API_VERSIONS = ['v1', 'v2'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** One input's item shape (no batch dim), by input name. */
export type InputShapes = Record<string, number[]>;

/** What a study's load sends, in a few words: the recorded file (and the start of its hash), or the generated inputs. */
export function describeWorkload(workload: StudyWorkload | undefined): string {
  return workload === undefined ? 'generated inputs' : `recorded ${workload.file} (sha256 ${workload.sha256.slice(0, 12)})`;
}

/** `x=3x48x192, mask=48`: the item shapes given for a user model's inputs. */
export function describeInputShapes(shapes: InputShapes): string {
  return Object.entries(shapes).map(([name, dims]) => `${name}=${dims.join('x')}`).join(', ');
}

export interface TrialMetrics {
  meanMs: number;
  meanCi95Ms: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  throughputRps: number;
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  cpuSeconds: number;
  peakMemoryBytes: number;
  energyJoules: number; // an estimate unless energySource says rapl
  energySource: 'estimate' | 'rapl';
  joulesPerRequest: number;
  costUsd: number;
  usdPerMillionRequests: number;
  windowS: number;
}

export interface TrialRecord {
  studyId: string;
  number: number; // in the order trials started; the baseline is the first measured one (src/domain/trials.ts)
  state: TrialState;
  params: Params;
  /** Absent: a search trial. */
  kind?: TrialKind;
  /** A confirmation trial: the search trial whose configuration it measures again, and in which round (from 1). */
  confirms?: number;
  round?: number;
  failureKind?: FailureKind;
  failureMessage?: string;
  metrics?: TrialMetrics; // present on complete trials, and on failed ones that were measured
  objectiveValue?: number; // on the study's primary objective: what a single-objective optimizer is told (lower is better)
  deploySeconds?: number;
  /** The cluster nodes its replicas ran on (Swarm); absent on a single Docker host. */
  nodes?: string[];
  /** When its replicas were ready (ISO 8601): from here to finishedAt it held its CPUs or nodes. */
  readyAt?: string;
  /** How its replicas were deployed; absent on rows from before live reconfiguration (fresh). */
  deployMode?: DeployMode;
  /** Its measurement window was cut short: it was confidently worse than the incumbent (metrics cover the shorter window). */
  stoppedEarly?: boolean;
  startedAt: string;
  finishedAt?: string;
}

export interface HistogramBucket {
  upperMs: number;
  count: number;
}

/** How a running trial ended: what finishing it writes. */
export interface TrialOutcome {
  state: Exclude<TrialState, 'running'>;
  failureKind?: FailureKind;
  failureMessage?: string;
  metrics?: TrialMetrics;
  objectiveValue?: number;
  deploySeconds?: number;
  nodes?: string[];
  readyAt?: string;
  deployMode?: DeployMode;
  stoppedEarly?: boolean;
  histogram?: HistogramBucket[];
}

/** A study with its trials: the unit every summary, report and campaign works on. */
export interface StudyTrials {
  study: StudyRecord;
  trials: TrialRecord[];
}
