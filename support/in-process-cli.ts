/** The `tune` command line run in process through main(), with what it wrote to stdout and stderr. */
import type { CliIo } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';

export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
