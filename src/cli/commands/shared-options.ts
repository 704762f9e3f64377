/** Options several commands share, declared once so their help, defaults and vocabularies agree. */
import type { Argv, Options } from 'yargs';
import { usageError } from '../../app/errors.ts';
import { API_VERSIONS, type InputShapes } from '../../domain/records.ts';
import { parseInputShape } from '../../models/tensor-spec.ts';
import { OBJECTIVES } from '../../domain/vocabulary.ts';
import { SAMPLER_NAMES } from '../../samplers/factory.ts';
import { PRECISIONS } from '../../server/protocol.ts';
import { latencyMs, oneOf, seconds, singleObjective, wholeNumber } from '../option-parsers.ts';

export const DEFAULT_DB = 'experiments.db';

export const dbOption = {
  type: 'string',
  default: DEFAULT_DB,
  requiresArg: true,
  describe: 'SQLite database holding the studies',
} as const satisfies Options;

export const jsonOption = {
  type: 'boolean',
  default: false,
  describe: 'Print machine-readable JSON on stdout',
} as const satisfies Options;

/** What the commands that read one stored study take. */
export interface StudyReadArgs {
  study: string;
  db: string;
  json: boolean;
}

export const studyOption = {
  type: 'string',
  demandOption: true,
  requiresArg: true,
  describe: 'Study name (see: tune studies)',
} as const satisfies Options;

export const studyReadOptions = { study: studyOption, db: dbOption, json: jsonOption } as const;

export const concurrencyOption = {
  type: 'string',
  demandOption: true,
  requiresArg: true,
  coerce: wholeNumber('concurrency', 1, 4096),
  describe: 'Client concurrency: requests kept outstanding by the closed-loop client',
} as const satisfies Options;

export const strategyOption = {
  type: 'string',
  requiresArg: true,
  coerce: oneOf('strategy', SAMPLER_NAMES),
  describe: `Optimizer: ${SAMPLER_NAMES.join(' | ')}`,
} as const satisfies Options;

export const apiOption = {
  type: 'string',
  requiresArg: true,
  coerce: oneOf('api', API_VERSIONS),
  describe: 'Inference protocol the load generator speaks: v1 (TF Serving-like :predict) or v2 (Open Inference Protocol /infer) (default v1)',
} as const satisfies Options;

export const workloadOption = {
  type: 'string',
  requiresArg: true,
  describe: 'Replay recorded traffic: a JSON-lines file of V1 instances or V2 {"inputs": [...]} requests, sent in file order and cycled (default: generated inputs)',
} as const satisfies Options;

/** `--input-shape x=3x48x192`, repeatable: one item's dims (no batch) for a user model's input with dynamic dims. */
export const inputShapeOption = {
  type: 'string',
  requiresArg: true,
  coerce: inputShapes,
  describe: "A user model input's item shape without the batch dim, fixing its dynamic dims, e.g. x=3x48x192 (repeat for several inputs)",
} as const satisfies Options;

function inputShapes(raw: unknown): InputShapes {
  const shapes: InputShapes = {};
  for (const text of Array.isArray(raw) ? raw : [raw]) {
    const parsed = parseInputShape(String(text).trim());
    if (!parsed.ok) throw usageError(parsed.message);
    if (parsed.name in shapes) throw usageError(`--input-shape ${parsed.name} is given twice: give each input once`);
    shapes[parsed.name] = parsed.dims;
  }
  return shapes;
}

export const precisionOption = {
  type: 'string',
  requiresArg: true,
  coerce: oneOf('precision', PRECISIONS),
  describe: `Pin the precision of new studies: ${PRECISIONS.join(' | ')}`,
} as const satisfies Options;

/** The options of the studies a campaign (compare, sweep, variants) creates, as `tune` has them. */
export function campaignOptions<T>(yargs: Argv<T>) {
  return yargs.options({
    model: { type: 'string', demandOption: true, requiresArg: true, describe: 'Built-in model (marian, resnet, bert, gan, ocr) or a model directory' },
    budget: { type: 'string', demandOption: true, requiresArg: true, coerce: wholeNumber('budget', 1, 10_000), describe: 'Trials per study, the baseline included' },
    db: dbOption,
    space: { type: 'string', requiresArg: true, describe: 'Search-space JSON file for new studies' },
    duration: { type: 'string', requiresArg: true, coerce: seconds('duration', 1), describe: 'Measurement window per trial, seconds' },
    warmup: { type: 'string', requiresArg: true, coerce: seconds('warmup', 0), describe: 'Warm-up per trial, seconds' },
    objective: { type: 'string', default: 'mean', requiresArg: true, coerce: singleObjective('objective'), describe: OBJECTIVES.join(' | ') },
    'slo-p99': { type: 'string', requiresArg: true, coerce: latencyMs('slo-p99'), describe: 'Latency SLO, e.g. 200ms: trials whose p99 misses it fail as slo_violated' },
    workload: workloadOption,
    'input-shape': inputShapeOption,
    run: { type: 'boolean', default: true, describe: 'Run missing or unfinished studies (--no-run: use stored ones only)' },
    json: jsonOption,
  });
}
