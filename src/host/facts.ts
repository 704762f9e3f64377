/** What the study ran on, stored with it: results from different hosts are not comparable. */
import os from 'node:os';
import type { HostFacts } from '../domain/records.ts';

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

/** Values a search space's constraints may name. */
export function spaceContext(): Record<string, number> {
  return { host_cores: os.availableParallelism(), host_memory_mb: Math.floor(os.totalmem() / 2 ** 20) };
}
