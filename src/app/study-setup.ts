/**
 * Everything a study run needs decided before anything runs: the study record (new, or stored when
 * resuming), its search space with pins applied and the model. Used as is by --dry-run.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadSearchSpace } from '../space/load.ts';
import type { Params } from '../space/params.ts';
import { pinParameters } from '../space/pin.ts';
import { defaults, type SearchSpace } from '../space/space.ts';
import type { SpaceResult } from '../space/space-error.ts';
import { CONFIRMATION } from '../domain/confirmation.ts';
import type { ApiVersion, BackendName, InputShapes, StudyRecord } from '../domain/records.ts';
import { parseObjectives, type Objective } from '../domain/vocabulary.ts';
import type { Storage } from '../storage/storage.ts';
import type { SamplerName } from '../samplers/factory.ts';
import type { Precision } from '../server/protocol.ts';
import { sharedLevelsOf, studyName } from '../study/study-name.ts';
import { isStoredSpace, spaceFromStored, type StoredSpace } from '../study/study-space.ts';
import { TuneError, usageError } from './errors.ts';
import { hostFacts, spaceContext } from '../host/host.ts';
import { modelSource, readWorkload, type ModelSource } from './model.ts';

export interface TuneArgs {
  model?: string;
  concurrency?: number;
  budget?: number;
  strategy?: SamplerName;
  seed?: number;
  space?: string;
  db: string;
  duration?: number;
  warmup?: number;
  name?: string;
  /** One objective, or the list a trade-off study minimises at once (its first is the primary one). */
  objective?: Objective | readonly Objective[];
  sloP99?: number;
  precision?: Precision;
  resume?: string;
  /** Where trials are deployed (default docker), and how many run at once (default 1). */
  backend?: BackendName;
  parallel?: number;
  /** Swarm placement: the nodes, the registry they pull from, the subnet replicas bind. Not stored: given per run. */
  nodes?: string[];
  registry?: string;
  bind?: string;
  /** Cheaper trials (default: early stopping and reconfiguration on, cost-aware proposals off). */
  earlyStop?: boolean;
  reconfigure?: boolean;
  costAware?: boolean;
  /** Contenders measured again after the budget to confirm the winner; 0 skips (default: 3 from a budget of 20, else 0). */
  confirm?: number;
  /** The inference protocol the load speaks (default v1). */
  api?: ApiVersion;
  /** Recorded traffic to replay (JSON lines of V1 instances or V2 inputs) instead of the generated workload. */
  workload?: string;
  /** Item shapes fixing a user tensor model's dynamic input dims, by input name (--input-shape NAME=DxD). */
  inputShape?: InputShapes;
}

// 10 s windows keep a 50-trial marian study at concurrency 20 near 20 minutes; lengthen them for tighter CIs.
export const TUNE_DEFAULTS = { strategy: 'bo', seed: 1, duration: 10, warmup: 3, objective: 'mean', earlyStop: true, reconfigure: true, costAware: false } as const;

/** Options that define a study: a resumed study keeps its own. */
const STUDY_DEFINING = ['model', 'concurrency', 'budget', 'strategy', 'seed', 'space', 'duration', 'warmup', 'name', 'objective', 'sloP99', 'precision', 'backend', 'parallel', 'earlyStop', 'reconfigure', 'costAware', 'confirm', 'api', 'workload', 'inputShape'] as const;

export interface StudySetup {
  study: StudyRecord;
  isNew: boolean;
  space: SearchSpace;
  baseline: Params;
  source: ModelSource;
  /** Every precision a trial may use: the models to have built before the first trial. */
  precisions: Precision[];
}

const SEARCH_SPACES = fileURLToPath(new URL('../../search-spaces/', import.meta.url));

export function defaultSpacePath(model: string): string {
  const own = `${SEARCH_SPACES}${model}.json`;
  return existsSync(own) ? own : `${SEARCH_SPACES}default.json`;
}

/** `storage` is undefined for a dry run against a database that does not exist yet. */
export async function prepareStudy(args: TuneArgs, storage: Storage | undefined, now: () => Date = () => new Date()): Promise<StudySetup> {
  return args.resume !== undefined ? resumedStudy(args, args.resume, storage) : newStudy(args, storage, now);
}

function resumedStudy(args: TuneArgs, id: string, storage: Storage | undefined): StudySetup {
  const given = STUDY_DEFINING.find((option) => args[option] !== undefined);
  if (given) throw usageError(`--resume continues a study with its stored settings: drop --${kebab(given)}`);
  const study = storage?.getStudy(id);
  if (!study) throw usageError(`no study "${id}" in ${args.db}: list the studies with: tune studies --db ${args.db}`);
  const levels = sharedLevelsOf(id);
  if (levels) {
    const sweep = `tune sweep --model ${study.model} --concurrency ${levels.join(',')} --budget ${study.budget} --seed ${study.seed}${study.objective === 'mean' ? '' : ` --objective ${study.objective}`} --strategies bo --db ${args.db}`;
    throw usageError(`study "${id}" is one level of a sweep whose levels share one model: continue them together with: ${sweep}`);
  }
  return setupOf(study, false);
}

/** The setup of a complete study record: a stored one to resume, or a new one planned from others (isNew). */
export function setupOf(study: StudyRecord, isNew: boolean): StudySetup {
  if (!isStoredSpace(study.space)) throw usageError(`study "${study.id}" has no search space this version can read: start a new study`);
  const space = unwrap(spaceFromStored(study.space, spaceContext()));
  const source = modelSource(study.model);
  return { study, isNew, space, baseline: defaults(space), source, precisions: precisionsOf(space) };
}

async function newStudy(args: TuneArgs, storage: Storage | undefined, now: () => Date): Promise<StudySetup> {
  const model = required(args.model, 'model');
  const concurrency = required(args.concurrency, 'concurrency');
  const budget = required(args.budget, 'budget');
  const source = modelSource(model);
  const origin = args.space ?? defaultSpacePath(source.kind === 'builtin' ? source.name : 'default');
  const pinned: Params = args.precision ? { precision: args.precision } : {};
  const space = unwrap(await loadPinned(origin, pinned));
  const precisions = precisionsOf(space);
  const strategy = args.strategy ?? TUNE_DEFAULTS.strategy;
  const seed = args.seed ?? TUNE_DEFAULTS.seed;
  const objectives = objectiveList(args.objective ?? TUNE_DEFAULTS.objective);
  const objective = objectives[0] as Objective;
  const id = args.name ?? studyName({ model, strategy, concurrency, budget, seed, objective, objectives, api: args.api });
  if (storage?.getStudy(id)) {
    throw usageError(`study "${id}" already exists in ${args.db}: resume it with: tune --resume ${id} --db ${args.db}, or pass another --name`);
  }
  const stored: StoredSpace = { origin, document: await readDocument(origin), pinned };
  const study: StudyRecord = {
    id,
    model,
    concurrency,
    strategy,
    seed,
    budget,
    objective,
    ...(objectives.length > 1 && { objectives }),
    ...(args.sloP99 === undefined ? {} : { sloP99Ms: args.sloP99 }),
    space: stored,
    durationS: args.duration ?? TUNE_DEFAULTS.duration,
    warmupS: args.warmup ?? TUNE_DEFAULTS.warmup,
    host: hostFacts(),
    createdAt: now().toISOString(),
    ...(args.backend !== undefined && args.backend !== 'docker' && { backend: args.backend }),
    ...(args.parallel !== undefined && args.parallel > 1 && { parallel: args.parallel }),
    ...cheaperTrials(args, strategy, objectives),
    ...confirmationOf(args, budget, objectives),
    ...(args.api !== undefined && args.api !== 'v1' && { api: args.api }),
    ...trafficOf(args, source),
  };
  return { study, isNew: true, space, baseline: defaults(space), source, precisions };
}

/** The recorded workload (its absolute path and sha256, checked again before the study runs) and the given input shapes. */
function trafficOf(args: TuneArgs, source: ModelSource): Pick<StudyRecord, 'workload' | 'inputShapes'> {
  const shapes = args.inputShape !== undefined && Object.keys(args.inputShape).length > 0 ? args.inputShape : undefined;
  if (shapes && source.kind === 'builtin') throw usageError(`--input-shape fixes a user model's dynamic input dims: the built-in ${source.name} has none; drop --input-shape`);
  const read = args.workload === undefined ? undefined : readWorkload(args.workload);
  return { ...(read && { workload: { file: read.file, sha256: read.sha256 } }), ...(shapes && { inputShapes: shapes }) };
}

/**
 * Early stopping judges a running mean by its confidence interval, which only mean latency has: other objectives
 * measure every trial in full (by default) or are refused (when asked for). Cost-aware proposals are GP-EI's.
 */
function cheaperTrials(args: TuneArgs, strategy: string, objectives: readonly Objective[]): Pick<StudyRecord, 'earlyStop' | 'reconfigure' | 'costAware'> {
  const meanOnly = objectives.length === 1 && objectives[0] === 'mean';
  if (args.earlyStop === true && !meanOnly) throw usageError('--early-stop on needs --objective mean: only mean latency has an interval to stop on; drop --early-stop');
  if (args.costAware === true && (strategy !== 'bo' || objectives.length > 1)) {
    throw usageError('--cost-aware weighs expected improvement by cost: it needs --strategy bo and one objective');
  }
  return {
    ...((args.earlyStop ?? TUNE_DEFAULTS.earlyStop) && meanOnly && { earlyStop: true }),
    ...((args.reconfigure ?? TUNE_DEFAULTS.reconfigure) && { reconfigure: true }),
    ...((args.costAware ?? TUNE_DEFAULTS.costAware) && { costAware: true }),
  };
}

/** Confirmation compares one value per window, so a trade-off study (several objectives) has none. */
function confirmationOf(args: TuneArgs, budget: number, objectives: readonly Objective[]): Pick<StudyRecord, 'confirm'> {
  if (args.confirm !== undefined && args.confirm > 0 && objectives.length > 1) {
    throw usageError('--confirm compares the winner with the runners-up on one objective: a study of several objectives has a front, not a winner; drop --confirm');
  }
  if (args.confirm === 1) throw usageError('--confirm 1 has nothing to compare the winner with: give 2 or more contenders, or 0 to skip confirmation');
  if (args.confirm !== undefined && args.confirm > budget) throw usageError(`--confirm ${args.confirm} asks for more contenders than the budget of ${budget} trials can give: give at most ${budget}`);
  const contenders = args.confirm ?? (objectives.length === 1 && budget >= CONFIRMATION.defaultFromBudget ? CONFIRMATION.defaultContenders : 0);
  return contenders > 0 ? { confirm: contenders } : {};
}

async function loadPinned(path: string, pinned: Params): Promise<SpaceResult<SearchSpace>> {
  const loaded = await loadSearchSpace(path, spaceContext());
  return loaded.ok && Object.keys(pinned).length > 0 ? pinParameters(loaded.value, pinned) : loaded;
}

/** The file's JSON as written (already validated by loadSearchSpace), stored so a resume reads the same space. */
async function readDocument(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** The precisions trials can take: the pinned one, the parameter's choices, or fp32 when the space has none. */
export function precisionsOf(space: SearchSpace): Precision[] {
  const pinned = space.pinned.precision;
  if (pinned !== undefined) return [pinned as Precision];
  const parameter = space.parameters.find((p) => p.name === 'precision');
  return parameter?.kind === 'categorical' ? (parameter.choices as Precision[]) : ['fp32'];
}

function unwrap<T>(result: SpaceResult<T>): T {
  if (!result.ok) throw usageError(result.error.message);
  return result.value;
}

/** The objectives as a checked list: the CLI parsed them already, a library caller may pass any list. */
function objectiveList(objective: Objective | readonly Objective[]): Objective[] {
  const parsed = parseObjectives(typeof objective === 'string' ? objective : objective.join(','));
  if (!parsed.ok) throw new TuneError(parsed.code, `--objective: ${parsed.message}`, 'usage');
  return parsed.objectives;
}

function required<T>(value: T | undefined, option: string): T {
  if (value === undefined) throw usageError(`missing required option --${option} (or continue a study with --resume <study>)`);
  return value;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Pins on top of the ones the options applied, kept in the stored space so a resume searches the same space. */
export function withPins(setup: StudySetup, pins: Params): StudySetup {
  if (Object.keys(pins).length === 0) return setup;
  const pinned = pinParameters(setup.space, pins);
  if (!pinned.ok) throw usageError(pinned.error.message);
  const stored = setup.study.space;
  if (!isStoredSpace(stored)) throw usageError(`study ${setup.study.id}: its search space cannot take extra pins`);
  const space = pinned.value;
  return { ...setup, space, baseline: defaults(space), study: { ...setup.study, space: { ...stored, pinned: { ...stored.pinned, ...pins } } } };
}
