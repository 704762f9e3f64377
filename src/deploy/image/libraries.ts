/**
 * Finds the shared libraries (and the dynamic loader) a binary links to, so a FROM-scratch image can carry
 * exactly what `node` and ONNX Runtime need.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Absolute library paths from `ldd` output. Lines look like
 * "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)";
 * the kernel's vdso has no file and is skipped.
 */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/i.exec(line);
    if (match?.[1]) paths.push(match[1]);
  }
  return paths;
}

/** Union of the libraries of every binary, leaving out those under `exclude` (shipped with the package). */
export async function sharedLibraries(binaries: string[], exclude: string[] = []): Promise<string[]> {
  const found = new Set<string>();
  for (const binary of binaries) {
    const { stdout } = await run('ldd', [binary]);
    for (const path of parseLdd(stdout)) {
      if (!exclude.some((prefix) => path.startsWith(prefix))) found.add(path);
    }
  }
  return [...found].sort();
}
