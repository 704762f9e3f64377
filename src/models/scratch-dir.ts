/**
 * Scratch directories beside a model directory (`<dir>.tmp-<pid>-<random>`): a build or staging writes there and
 * renames into place only when complete. A process killed mid-build leaves its scratch behind (marian's is
 * ~900 MB), so making a new one first removes those whose process is gone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processExists } from '../host/host.ts';

export function makeScratchDir(dir: string, isAlive: (pid: number) => boolean = processExists): string {
  removeAbandonedScratch(dir, isAlive);
  const scratch = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(scratch, { recursive: true });
  return scratch;
}

export function removeAbandonedScratch(dir: string, isAlive: (pid: number) => boolean): void {
  const parent = dirname(dir);
  if (!existsSync(parent)) return;
  const prefix = `${basename(dir)}.tmp-`;
  for (const name of readdirSync(parent)) {
    const pid = Number(/^(\d+)-/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '')?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}
