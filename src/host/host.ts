/** This machine: what a study ran on (stored with it), what its search spaces may name, and its processes. */
import os from 'node:os';
import type { HostFacts } from '../domain/records.ts';

/** Stored with every study: results from different hosts are not comparable. */
export function hostFacts(dockerVersion?: string): HostFacts {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()}`,
    nodeVersion: process.version,
    ...(dockerVersion === undefined ? {} : { dockerVersion }),
  };
}

/** Values a search space's constraints may name, on this machine. */
export function spaceContext(): Record<string, number> {
  return spaceContextOf({ cpus: os.availableParallelism(), memoryBytes: os.totalmem() });
}

/** The same values on the host a study ran on (as stored with it): what a replay of that study rebuilds its space with. */
export function spaceContextOf(host: Pick<HostFacts, 'cpus' | 'memoryBytes'>): Record<string, number> {
  return { host_cores: host.cpus, host_memory_mb: Math.floor(host.memoryBytes / 2 ** 20) };
}

/** Whether a process still exists on this host (for claims and scratch files left by processes that died). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
