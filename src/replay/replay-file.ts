/**
 * The replay file: a study's measured search attempts (configuration, outcome, what the window measured) with the
 * study's identity and its stored search space, so an optimizer benchmark can replay a real study without Docker
 * (surrogate.ts). Small, versioned JSON: `{"format": "tune-replay", "version": 1, "study": …, "space": …,
 * "trials": […]}`, one trial a line. Reading checks every field and reports the first problem as one line naming
 * the file and the field, with a stable code.
 */
import { readFileSync } from 'node:fs';
import { OBJECTIVES, type Objective } from '../domain/vocabulary.ts';
import { isObject, show, type RawObject } from '../space/fields.ts';
import type { Params } from '../space/params.ts';
import { isStoredSpace, type StoredSpace } from '../study/study-space.ts';

export const REPLAY_FORMAT = 'tune-replay';
export const REPLAY_VERSION = 1;

/** What defines the study and the machine it ran on: measurements are only comparable on the same host. */
export interface ReplayStudy {
  id: string;
  model: string;
  concurrency: number;
  objective: Objective;
  strategy: string;
  seed: number;
  budget: number;
  durationS: number;
  warmupS: number;
  /** The study's p99 target: why its `slo_violated` trials failed. */
  sloP99Ms?: number;
  /** cpus and memory rebuild the space's context (host_cores, host_memory_mb); the CPU model says what it ran on. */
  host: { cpus: number; cpuModel: string; memoryBytes: number };
}

/** What a trial's measurement window saw. */
export interface ReplayMeasurement {
  meanMs: number;
  /** The 95% half-interval of the mean (batch means): the within-window noise of a mean-latency value. */
  meanCi95Ms: number;
  p99Ms: number;
  throughputRps: number;
  windowS: number;
  /** The window was cut short as hopeless (src/study/early-stop.ts): its interval is wider. */
  stoppedEarly: boolean;
}

export interface CompleteReplayTrial {
  number: number;
  params: Params;
  state: 'complete';
  /** On the study's objective; positive, lower is better. */
  value: number;
  measured?: ReplayMeasurement;
}

export interface FailedReplayTrial {
  number: number;
  params: Params;
  state: 'failed';
  /** A configuration failure (src/domain/vocabulary.ts), or `objective_not_finite` for a window without a value. */
  failureKind: string;
  failureMessage?: string;
  /** Present when the failure was measured (an SLO missed keeps its metrics). */
  measured?: ReplayMeasurement;
}

export type ReplayTrial = CompleteReplayTrial | FailedReplayTrial;

export interface ReplayFile {
  format: typeof REPLAY_FORMAT;
  version: typeof REPLAY_VERSION;
  study: ReplayStudy;
  /** The study record's `space`: the search-space document and its pins, so the space is rebuilt exactly. */
  space: StoredSpace;
  /** The measured search attempts (src/domain/trials.ts, isMeasuredAttempt) by number: what the budget counted. */
  trials: ReplayTrial[];
}

export type ReplayErrorCode =
  | 'replay_unreadable'
  | 'replay_invalid_json'
  | 'replay_not_a_replay'
  | 'replay_unsupported_version'
  | 'replay_bad_field'
  | 'replay_duplicate_trial'
  | 'replay_no_complete_trial'
  | 'replay_bad_space'
  | 'replay_trial_outside_space';

export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
  constructor(
    readonly code: ReplayErrorCode,
    message: string,
  ) {
    super(message.replace(/[\r\n\u2028\u2029]+/g, ' '));
  }
}

export type ReplayResult<T> = { ok: true; value: T } | { ok: false; error: ReplayFileError };

export function readReplayFile(path: string): ReplayResult<ReplayFile> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return failure('replay_unreadable', `${path}: cannot read the replay file (${reason}); make one with: tune replay-export --study <name>`);
  }
  return parseReplayText(text, path);
}

export function parseReplayText(text: string, source: string): ReplayResult<ReplayFile> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return failure('replay_invalid_json', `${source}: invalid JSON: ${(error as Error).message}`);
  }
  return parseReplay(document, source);
}

/** `source` names the file (or the study) in every message. */
export function parseReplay(document: unknown, source: string): ReplayResult<ReplayFile> {
  try {
    return { ok: true, value: readReplay(document, source) };
  } catch (error) {
    if (error instanceof ReplayFileError) return { ok: false, error };
    throw error;
  }
}

/** The file's text: a readable header, then one trial a line, so a replay diffs and greps well. */
export function formatReplay(replay: ReplayFile): string {
  const { trials, ...header } = replay;
  const head = Object.entries(header).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const rows = trials.map((trial) => `    ${JSON.stringify(trial)}`);
  return `{\n${head.join(',\n')},\n  "trials": [\n${rows.join(',\n')}\n  ]\n}\n`;
}

function readReplay(document: unknown, source: string): ReplayFile {
  if (!isObject(document)) throw new ReplayFileError('replay_not_a_replay', `${source}: not a replay file (expected a JSON object with "format": "${REPLAY_FORMAT}")`);
  if (document.format !== REPLAY_FORMAT) {
    throw new ReplayFileError('replay_not_a_replay', `${source}: not a replay file ("format" is ${show(document.format)}, expected "${REPLAY_FORMAT}"); make one with: tune replay-export --study <name>`);
  }
  if (document.version !== REPLAY_VERSION) {
    throw new ReplayFileError('replay_unsupported_version', `${source}: replay version ${show(document.version)} is not supported (this version reads ${REPLAY_VERSION}); export the study again`);
  }
  const top = new Fields(document, source);
  const study = readStudy(top.object('study'));
  if (!isStoredSpace(document.space)) top.fail('"space" must be a stored search space ({"origin", "document", "pinned"})');
  const trials = top.list('trials').map((entry, i) => readTrial(top.within(entry, `trials[${i}]`)));
  const numbers = new Set<number>();
  for (const trial of trials) {
    if (numbers.has(trial.number)) throw new ReplayFileError('replay_duplicate_trial', `${source}: trial ${trial.number} appears more than once`);
    numbers.add(trial.number);
  }
  if (!trials.some((trial) => trial.state === 'complete')) {
    throw new ReplayFileError('replay_no_complete_trial', `${source}: no complete trial: a replay needs measured values to fit its surrogate to`);
  }
  return { format: REPLAY_FORMAT, version: REPLAY_VERSION, study, space: document.space as StoredSpace, trials };
}

function readStudy(fields: Fields): ReplayStudy {
  const objective = fields.string('objective');
  if (!(OBJECTIVES as readonly string[]).includes(objective)) fields.fail(`"objective" must be one of ${OBJECTIVES.join(', ')}, got ${show(objective)}`);
  const host = fields.object('host');
  const slo = fields.optionalNumber('sloP99Ms', 'positive');
  return {
    id: fields.string('id'),
    model: fields.string('model'),
    concurrency: fields.number('concurrency', 'count'),
    objective: objective as Objective,
    strategy: fields.string('strategy'),
    seed: fields.number('seed', 'integer'),
    budget: fields.number('budget', 'count'),
    durationS: fields.number('durationS', 'non-negative'),
    warmupS: fields.number('warmupS', 'non-negative'),
    ...(slo === undefined ? {} : { sloP99Ms: slo }),
    host: { cpus: host.number('cpus', 'count'), cpuModel: host.string('cpuModel'), memoryBytes: host.number('memoryBytes', 'positive') },
  };
}

function readTrial(fields: Fields): ReplayTrial {
  const number = fields.number('number', 'non-negative integer');
  const params = readParams(fields.object('params'));
  const measured = fields.has('measured') ? readMeasurement(fields.object('measured')) : undefined;
  const state = fields.string('state');
  if (state === 'complete') return { number, params, state, value: fields.number('value', 'positive'), ...(measured && { measured }) };
  if (state !== 'failed') fields.fail(`"state" must be "complete" or "failed", got ${show(state)}`);
  const failureMessage = fields.optionalString('failureMessage');
  return { number, params, state, failureKind: fields.string('failureKind'), ...(failureMessage === undefined ? {} : { failureMessage }), ...(measured && { measured }) };
}

function readParams(fields: Fields): Params {
  for (const [name, value] of Object.entries(fields.raw)) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) fields.fail(`parameter "${name}" must be a number or a string, got ${show(value)}`);
  }
  return { ...(fields.raw as Params) };
}

function readMeasurement(fields: Fields): ReplayMeasurement {
  return {
    meanMs: fields.number('meanMs', 'non-negative'),
    meanCi95Ms: fields.number('meanCi95Ms', 'non-negative'),
    p99Ms: fields.number('p99Ms', 'non-negative'),
    throughputRps: fields.number('throughputRps', 'non-negative'),
    windowS: fields.number('windowS', 'non-negative'),
    stoppedEarly: fields.boolean('stoppedEarly'),
  };
}

type NumberRule = 'positive' | 'non-negative' | 'integer' | 'non-negative integer' | 'count';

const RULES: Record<NumberRule, { holds: (n: number) => boolean; what: string }> = {
  positive: { holds: (n) => n > 0, what: 'a positive number' },
  'non-negative': { holds: (n) => n >= 0, what: 'a number ≥ 0' },
  integer: { holds: Number.isInteger, what: 'an integer' },
  'non-negative integer': { holds: (n) => Number.isInteger(n) && n >= 0, what: 'an integer ≥ 0' },
  count: { holds: (n) => Number.isInteger(n) && n >= 1, what: 'an integer ≥ 1' },
};

/** Fields of one object of the file; every failure names the file and where the object is in it. */
class Fields {
  constructor(
    readonly raw: RawObject,
    private readonly where: string,
  ) {}

  fail(detail: string): never {
    throw new ReplayFileError('replay_bad_field', `${this.where}: ${detail}`);
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  within(value: unknown, path: string): Fields {
    if (!isObject(value)) this.fail(`${path} must be an object, got ${show(value)}`);
    return new Fields(value, `${this.where}: ${path}`);
  }

  object(key: string): Fields {
    if (!this.has(key)) this.fail(`"${key}" is required`);
    return this.within(this.raw[key], `"${key}"`);
  }

  list(key: string): readonly unknown[] {
    const value = this.raw[key];
    if (!Array.isArray(value)) this.fail(`"${key}" must be an array, got ${show(value)}`);
    return value;
  }

  string(key: string): string {
    const value = this.raw[key];
    if (typeof value !== 'string' || value === '') this.fail(`"${key}" must be a non-empty string, got ${show(value)}`);
    return value;
  }

  optionalString(key: string): string | undefined {
    const value = this.raw[key];
    if (value !== undefined && typeof value !== 'string') this.fail(`"${key}" must be a string, got ${show(value)}`);
    return value;
  }

  number(key: string, rule: NumberRule): number {
    const value = this.raw[key];
    const { holds, what } = RULES[rule];
    if (typeof value !== 'number' || !Number.isFinite(value) || !holds(value)) this.fail(`"${key}" must be ${what}, got ${show(value)}`);
    return value;
  }

  optionalNumber(key: string, rule: NumberRule): number | undefined {
    return this.has(key) ? this.number(key, rule) : undefined;
  }

  boolean(key: string): boolean {
    const value = this.raw[key];
    if (typeof value !== 'boolean') this.fail(`"${key}" must be true or false, got ${show(value)}`);
    return value;
  }
}

function failure<T>(code: ReplayErrorCode, message: string): ReplayResult<T> {
  return { ok: false, error: new ReplayFileError(code, message) };
}
