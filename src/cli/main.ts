/**
 * The `tune` command line. Commands are thin: they parse, call one application function (src/app) and
 * print. This is the one place errors become exit codes: 0 success, 1 failure, 2 bad usage — always as
 * one line on stderr, never a stack trace.
 */
import yargs from 'yargs';
import { TuneError, usageError } from '../app/errors.ts';
import { SYNTHETIC_NOTE } from '../models/builder.ts';
import { bestCommand } from './commands/best.ts';
import { compareCommand } from './commands/compare.ts';
import { exportCommand } from './commands/export.ts';
import { imageCommand } from './commands/image.ts';
import { modelsCommand } from './commands/models.ts';
import { plotCommand } from './commands/plot.ts';
import { reapCommand } from './commands/reap.ts';
import { replayExportCommand } from './commands/replay-export.ts';
import { reportCommand } from './commands/report.ts';
import { studiesCommand } from './commands/studies.ts';
import { sweepCommand } from './commands/sweep.ts';
import { trialsCommand } from './commands/trials.ts';
import { tuneCommand } from './commands/tune.ts';
import { variantsCommand } from './commands/variants.ts';
import { processIo, type CliIo } from './io.ts';

export type ExitCode = 0 | 1 | 2;

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  try {
    await parser(argv, io).parseAsync();
    return 0;
  } catch (error) {
    io.err(oneLineMessage(error));
    return exitCodeOf(error);
  }
}

function parser(argv: readonly string[], io: CliIo) {
  return yargs([...argv])
    .scriptName('tune')
    .usage('$0 [command] [options]\n\nTune how an ONNX model is served: replicas, CPU, memory, batching, threads.')
    .command(tuneCommand(io))
    .command(compareCommand(io))
    .command(sweepCommand(io))
    .command(variantsCommand(io))
    .command(trialsCommand(io))
    .command(bestCommand(io))
    .command(studiesCommand(io))
    .command(plotCommand(io))
    .command(reportCommand(io))
    .command(exportCommand(io))
    .command(replayExportCommand(io))
    .command(modelsCommand(io))
    .command(imageCommand(io))
    .command(reapCommand(io))
    .strict()
    // Words after `--` would otherwise slip past strict mode (and past --dry-run): refuse them.
    .parserConfiguration({ 'populate--': true })
    .check((argv) => {
      const rest = (argv['--'] as unknown[] | undefined) ?? [];
      if (rest.length > 0) throw usageError(`unexpected argument(s) after --: ${rest.join(' ')}`);
      return true;
    })
    .recommendCommands()
    .epilogue(SYNTHETIC_NOTE)
    .wrap(Math.min(120, process.stdout.columns || 120))
    .exitProcess(false)
    .fail((message: string | null, error: Error | undefined) => {
      // yargs wraps its own validation and our coerce errors as YError; handler errors arrive unwrapped.
      if (error && error.name !== 'YError') throw error;
      throw usageError(`${message ?? error?.message ?? 'invalid command line'} (see: tune --help)`);
    })
    .help()
    .alias('help', 'h')
    .version();
}

function exitCodeOf(error: unknown): ExitCode {
  return error instanceof TuneError && error.kind === 'usage' ? 2 : 1;
}

/** Any error as one line without a stack: its message with line breaks folded. */
function oneLineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
