/** Options several commands share, declared once so their help and defaults agree. */
import type { Options } from 'yargs';

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

export const studyOption = {
  type: 'string',
  demandOption: true,
  requiresArg: true,
  describe: 'Study name (see: tune studies)',
} as const satisfies Options;

export const SYNTHETIC_NOTE =
  'Built-in models (marian, resnet, bert, gan) have synthetic, seeded weights: latency and memory are realistic, outputs are meaningless.';
