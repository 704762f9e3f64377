/**
 * The library API of tune-serving: the ask/tell Study and its samplers, search spaces, the domain records and
 * rules, storage, the Docker deployment backend, the load generator, trial metrics, the study loop that ties
 * them together, and `tune` itself (what the CLI's default command runs).
 */
export { Study, StudyTrialError, type StudyContext, type StudyOptions, type TellResult } from './study/study.ts';
export { sharedContext, sharedObservations, type ContextMember } from './study/shared-model.ts';
export { concurrencyAt, loadContext, loadCoordinate, loadRange, type LoadRange } from './study/load-context.ts';
export { memoryTrials, storedTrials, type TrialStore } from './study/trial-store.ts';
export { createSampler, SAMPLER_NAMES, type SamplerName, type SamplerOptions } from './samplers/factory.ts';
export { GpEiSampler } from './samplers/gp-ei.ts';
export { ParEgoSampler } from './samplers/parego.ts';
export { RandomSampler } from './samplers/random.ts';
export { GridSampler, gridSize } from './samplers/grid.ts';
export { LhsSampler } from './samplers/lhs.ts';
export { bestEstimate, type BestEstimate } from './samplers/best-estimate.ts';
export { SamplerError } from './samplers/sampler-error.ts';
export type { Observation, Sampler } from './samplers/sampler.ts';
export { createRng, type Rng } from './random/rng.ts';

export { loadSearchSpace, parseSearchSpaceBytes } from './space/load.ts';
export { parseSearchSpace, type SpaceContext } from './space/parse.ts';
export { pinParameters } from './space/pin.ts';
export { decode, defaults, dimension, encode, isFeasible, type SearchSpace } from './space/space.ts';
export { SpaceError, unwrapSpace, type SpaceResult } from './space/space-error.ts';
export type { Parameter } from './space/parameter.ts';
export type { Params, ParamValue } from './space/params.ts';

export type * from './domain/records.ts';
export type * from './storage/storage.ts';
export { OBJECTIVES, MAX_OBJECTIVES, parseObjectives, type Objective, type ObjectiveListResult, type FailureKind } from './domain/vocabulary.ts';
export { attemptsSoFar, baselineTrial, bestTrial, isMeasuredAttempt, speedup, studyObjectives, trialValue, trialValues } from './domain/trials.ts';
export { summarizeStudy, type FrontTrial, type PosteriorBest, type StudySummary, type StudyTradeoff, type TrialBrief } from './domain/summary.ts';
export { hypervolume, hypervolumeAfterEach, kneeIndex, nonDominated, referencePoint } from './dse/hypervolume.ts';
export { studyTradeoff } from './dse/tradeoff.ts';
export { SqliteStorage, type OpenResult, type SqliteOptions } from './storage/sqlite.ts';
export { MemoryStorage } from './storage/memory.ts';
export { StorageError } from './storage/errors.ts';

export type * from './deploy/backend.ts';
export { DockerBackend, type DockerBackendOptions } from './deploy/docker/backend.ts';
export { createDockerClient } from './deploy/docker/client.ts';
export { ensureImage, type ImageResult } from './deploy/image.ts';

export { runClosedLoop, runOpenLoop, workloadFor, type Workload, type WorkloadOptions } from './load/index.ts';
export type { ClosedLoopOptions, LatencySummary, LoadResult, OpenLoopOptions } from './load/types.ts';
export { trialMetrics, CLOUD_CARBON_FOOTPRINT_AWS, FARGATE_US_EAST_1, type EnergyModel, type Prices } from './measure/index.ts';

export { ensureModel, buildModel, BUILTIN_MODELS, type BuiltinModel } from './models/index.ts';
export type { ModelManifest, Precision } from './models/manifest.ts';

export { runStudy, type LoopDeps, type LoopEvent, type LoopOptions, type StudyRun } from './study/tuning-loop.ts';
export { paramsToSpec, BASELINE_PARAMS, type SpecContext } from './study/params-to-spec.ts';
export { createDeploymentMeasurement, type MeasurementSettings } from './study/deployment-measurement.ts';
export { writePlots, writeReport } from './report/files.ts';
export { compareStrategies } from './dse/compare.ts';
export { tune, planTune, type TuneOutcome } from './app/tune.ts';
export type { TuneArgs } from './app/study-setup.ts';
export type { RunHooks } from './app/run-study.ts';
export { TuneError } from './app/errors.ts';
